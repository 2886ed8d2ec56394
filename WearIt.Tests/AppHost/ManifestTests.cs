using System.Diagnostics;
using WearIt.Tests.Support;

namespace WearIt.Tests.AppHost;

/// <summary>The checked-in <c>aspire-manifest.json</c> is what the AppHost publishes now.</summary>
public sealed class ManifestTests
{
    private const string RegenerateCommand =
        "dotnet run --project WearIt.AppHost -- --publisher manifest --output-path ../aspire-manifest.json";

    [Fact]
    public async Task CheckedInManifestMatchesWhatTheAppHostGenerates()
    {
        var generated = Path.Combine(RepositoryRoot.Path, "aspire-manifest.generated.json");
        File.Delete(generated);

        // Act
        var (exitCode, output) = await RunAppHostAsync("--publisher", "manifest", "--output-path", generated);

        // Assert
        Assert.True(exitCode == 0, $"The AppHost failed to publish (exit {exitCode}):\n{output}");
        var expected = Normalize(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "aspire-manifest.json"), TestContext.Current.CancellationToken));
        var actual = Normalize(await File.ReadAllTextAsync(generated, TestContext.Current.CancellationToken));
        File.Delete(generated);
        Assert.True(expected == actual, $"aspire-manifest.json is stale; regenerate it with `{RegenerateCommand}`.\nGenerated:\n{actual}");
    }

    [Fact]
    public async Task ManifestDescribesTheContainersDeployment()
    {
        var manifest = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "aspire-manifest.json"), TestContext.Current.CancellationToken);

        Assert.Contains("\"image\": \"docker.io/mongo:8.", manifest);
        Assert.Contains("\"image\": \"docker.io/localstack/localstack:4.", manifest);
        Assert.Contains("\"image\": \"docker.io/axllent/mailpit:v", manifest);
        Assert.DoesNotContain(":latest", manifest);
        Assert.Contains("\"WearIt.ApiService/WearIt.ApiService.csproj\"", manifest);
        Assert.Contains("\"WearIt.TryonService/WearIt.TryonService.csproj\"", manifest);
        Assert.Contains("\"jwt-signing-key\": {", manifest);
        Assert.Contains("\"mongo-password\": {", manifest);
        Assert.Contains("\"ConnectionStrings__wearit\": \"{wearit.connectionString}\"", manifest);
        Assert.Contains("\"ConnectionStrings__wearit-tryon\": \"{wearit-tryon.connectionString}\"", manifest);
    }

    /// <summary>Runs the AppHost this test run built, the way a developer regenerates the manifest.</summary>
    private static async Task<(int ExitCode, string Output)> RunAppHostAsync(params string[] appArguments)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot.Path, "WearIt.AppHost"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "run", "--no-build", "-c", configuration, "--" }.Concat(appArguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Normalize(string json) => json.Replace("\r\n", "\n").Trim();
}
