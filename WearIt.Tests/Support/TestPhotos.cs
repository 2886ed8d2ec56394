namespace WearIt.Tests.Support;

/// <summary>
/// The real photo the engine tests use: scikit-image's astronaut.png (NASA, public domain), which `.ci/run` takes
/// from Debian's python3-skimage package and names in <c>WEARIT_TEST_PHOTO</c>; it is never committed.
/// </summary>
public static class TestPhotos
{
    public const string Variable = "WEARIT_TEST_PHOTO";

    /// <summary>The astronaut photo's bytes, or the calling test is skipped saying how to get it.</summary>
    public static byte[] AstronautOrSkip()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(path))
        {
            var fetched = Path.Combine(RepositoryRoot.Path, ".ci", ".tools", "astronaut.png");
            path = File.Exists(fetched) ? fetched : null;
        }

        Assert.SkipWhen(path is null || !File.Exists(path),
            $"{Variable} is not set and .ci/.tools/astronaut.png is missing; `bash .ci/run` fetches it from Debian's python3-skimage.");
        return File.ReadAllBytes(path!);
    }
}
