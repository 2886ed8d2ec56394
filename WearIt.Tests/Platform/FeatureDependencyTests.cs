using System.Text.RegularExpressions;
using WearIt.Tests.Support;

namespace WearIt.Tests.Platform;

/// <summary>
/// The features' dependencies, read from the source: no cycle between features, the engine and the shared projects
/// below every feature, and docs/architecture.md's table saying exactly what the code does.
/// </summary>
public sealed partial class FeatureDependencyTests
{
    private static readonly string[] Services = ["ApiService", "TryonService"];

    [Fact]
    public void NoFeatureDependsOnItselfThroughOthers()
    {
        foreach (var service in Services)
        {
            var cycle = FindCycle(FeatureGraph(service));
            Assert.True(cycle is null, $"{service}: the features depend on each other in a cycle: {string.Join(" -> ", cycle ?? [])}");
        }
    }

    [Fact]
    public void TheCycleCheckFindsACycle()
    {
        var graph = new Dictionary<string, SortedSet<string>>
        {
            ["Catalog"] = ["Garments"],
            ["Garments"] = ["Wardrobe"],
            ["Wardrobe"] = ["Garments"],
            ["Users"] = [],
        };

        Assert.Equal(["Garments", "Wardrobe", "Garments"], FindCycle(graph));
        Assert.Null(FindCycle(new Dictionary<string, SortedSet<string>> { ["Auth"] = ["Users"], ["Users"] = [] }));
    }

    [Fact]
    public void TheEngineAndTheSharedProjectsUseNoFeature()
    {
        var offenders = SourceFiles(Path.Combine(RepositoryRoot.Path, "WearIt.TryonService", "Engine"))
            .Where(file => FeatureReference().IsMatch(File.ReadAllText(file)))
            .Concat(SourceFiles(Path.Combine(RepositoryRoot.Path, "WearIt.ServiceDefaults"))
                .Where(file => ServiceReference().IsMatch(File.ReadAllText(file))))
            .Select(file => Path.GetRelativePath(RepositoryRoot.Path, file))
            .ToList();

        Assert.True(offenders.Count == 0, $"These files reach up into a feature or a service: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void TheArchitectureDocumentListsEachFeaturesDependencies()
    {
        var documented = new Dictionary<(string Service, string Feature), SortedSet<string>>();
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot.Path, "docs", "architecture.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length >= 5 && Services.Contains(cells[1]))
            {
                var dependencies = cells[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Where(name => name != "-")
                    .Select(name => name.Trim('`'));
                documented[(cells[1], cells[2].Trim('`'))] = [.. dependencies];
            }
        }

        foreach (var service in Services)
        {
            foreach (var (feature, dependencies) in FeatureGraph(service))
            {
                Assert.True(documented.TryGetValue((service, feature), out var listed), $"docs/architecture.md has no row for {service}'s {feature}.");
                Assert.True(listed.SetEquals(dependencies),
                    $"docs/architecture.md says {service}'s {feature} depends on [{string.Join(", ", listed)}]; the code: [{string.Join(", ", dependencies)}].");
            }
        }

        var features = Services.SelectMany(service => FeatureGraph(service).Keys.Select(feature => (service, feature))).ToHashSet();
        Assert.All(documented.Keys, row => Assert.True(features.Contains(row), $"docs/architecture.md lists {row.Service}'s {row.Feature}, which does not exist."));
    }

    /// <summary>Each feature folder of a service and the other features its files name (by using or full name).</summary>
    private static Dictionary<string, SortedSet<string>> FeatureGraph(string service)
    {
        var root = Path.Combine(RepositoryRoot.Path, $"WearIt.{service}", "Features");
        var graph = new Dictionary<string, SortedSet<string>>();
        foreach (var folder in Directory.GetDirectories(root))
        {
            var feature = Path.GetFileName(folder);
            var uses = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var file in SourceFiles(folder))
            {
                foreach (Match match in FeatureReference().Matches(File.ReadAllText(file)))
                {
                    if (match.Groups["service"].Value == service && match.Groups["feature"].Value != feature)
                    {
                        uses.Add(match.Groups["feature"].Value);
                    }
                }
            }

            graph[feature] = uses;
        }

        return graph;
    }

    /// <summary>A path of features that comes back to where it started, or null.</summary>
    private static List<string>? FindCycle(IReadOnlyDictionary<string, SortedSet<string>> graph)
    {
        var done = new HashSet<string>();
        var path = new List<string>();

        List<string>? Visit(string feature)
        {
            var at = path.IndexOf(feature);
            if (at >= 0)
            {
                return [.. path[at..], feature];
            }

            if (!done.Add(feature))
            {
                return null;
            }

            path.Add(feature);
            foreach (var next in graph.GetValueOrDefault(feature) ?? [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(cycle => cycle is not null);
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    [GeneratedRegex(@"WearIt\.(?<service>ApiService|TryonService)\.Features\.(?<feature>[A-Za-z]+)")]
    private static partial Regex FeatureReference();

    [GeneratedRegex(@"WearIt\.(ApiService|TryonService)\b")]
    private static partial Regex ServiceReference();
}
