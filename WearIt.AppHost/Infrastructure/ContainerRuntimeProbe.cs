using System.Diagnostics;

namespace WearIt.AppHost.Infrastructure;

/// <summary>Asks the local container runtimes whether a daemon answers, each within a time limit.</summary>
public static class ContainerRuntimeProbe
{
    /// <summary>The runtimes tried, in order, with the command that proves their daemon is up.</summary>
    private static readonly (string Runtime, string[] Arguments)[] Candidates =
    [
        ("docker", ["info", "--format", "{{.ServerVersion}}"]),
        ("podman", ["info", "--format", "{{.Version.Version}}"]),
    ];

    /// <summary>Returns the first runtime whose daemon answers, or null with what each one said.</summary>
    public static (string? Runtime, string Detail) FindRunningRuntime(TimeSpan timeoutPerRuntime)
    {
        var failures = new List<string>();
        foreach (var (runtime, arguments) in Candidates)
        {
            var (ok, detail) = Probe(runtime, arguments, timeoutPerRuntime);
            if (ok)
            {
                return (runtime, $"{runtime} {detail} answered `{runtime} info`");
            }

            failures.Add($"{runtime}: {detail}");
        }

        return (null, string.Join("; ", failures));
    }

    private static (bool Ok, string Detail) Probe(string runtime, string[] arguments, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(runtime)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("the process did not start");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (false, "not installed");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (false, $"no answer within {timeout.TotalSeconds:0} s");
            }

            if (process.ExitCode == 0)
            {
                return (true, output.Result.Trim());
            }

            var firstErrorLine = error.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault() ?? $"exit code {process.ExitCode}";
            return (false, $"daemon not reachable ({firstErrorLine})");
        }
    }
}
