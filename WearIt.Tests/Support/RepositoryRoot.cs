namespace WearIt.Tests.Support;

/// <summary>Finds the repository root (the folder holding WearIt.sln) from the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "WearIt.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No WearIt.sln above {AppContext.BaseDirectory}.");
    }
}
