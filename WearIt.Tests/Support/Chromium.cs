namespace WearIt.Tests.Support;

/// <summary>Debian's headless Chromium for the browser tests (`apt-get install chromium` in .ci/run).</summary>
public static class Chromium
{
    private const string Missing = "Chromium is not installed; .ci/run installs Debian's chromium package (or set WEARIT_CHROMIUM).";

    /// <summary>The browser's path; without one the calling test fails in CI (a broken setup) and is skipped elsewhere, saying how to get it.</summary>
    public static string PathOrSkip()
    {
        var path = new[] { Environment.GetEnvironmentVariable("WEARIT_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(candidate => !string.IsNullOrEmpty(candidate) && File.Exists(candidate));
        Assert.False(path is null && Environment.GetEnvironmentVariable("CI") == "true", Missing);
        Assert.SkipWhen(path is null, Missing);
        return path!;
    }
}
