using System.Diagnostics;
using System.Globalization;
using SkiaSharp;
using WearIt.ApiService.Features.Catalog;
using WearIt.Bench;
using WearIt.TryonService.Engine;

// WearIt benchmarks: prints figures, asserts nothing. Usage:
//   dotnet run -c Release --project bench/WearIt.Bench -- <path to a photo> [engine|e2e|sockets|all]
//   dotnet run -c Release --project bench/WearIt.Bench -- sheet <output.png> [--cells <folder>] <photo> [<photo> ...]
//   (--cells also writes every result at full size into the folder, each photo with its analysis drawn on it, and each
//   garment as the engine reads it, to look at closely)
//   dotnet run -c Release --project bench/WearIt.Bench -- http   (boots the AppHost; the API against a Kestrel floor)
if (args.Length >= 1 && args[0] == "http")
{
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
    await HttpBenchmark.RunAsync();
    return 0;
}

if (args.Length >= 3 && args[0] == "sheet")
{
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
    var cells = args.Length >= 5 && args[2] == "--cells" ? args[3] : null;
    await ContactSheetBenchmark.RunAsync(args[1], args[(cells is null ? 2 : 4)..], cells);
    return 0;
}

if (args.Length == 0 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: WearIt.Bench <photo.png|jpg> [engine|e2e|sockets|all]  (e.g. .ci/.tools/astronaut.png after `bash .ci/run`)");
    return 2;
}

var photo = await File.ReadAllBytesAsync(args[0]);
var what = args.Length > 1 ? args[1] : "all";
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
Console.WriteLine($"photo:   {Path.GetFileName(args[0])}");
Console.WriteLine();

if (what is "engine" or "all")
{
    await EngineBenchmark.RunAsync(photo);
}

if (what is "e2e" or "sockets" or "all")
{
    await using var services = await ServiceProcesses.StartAsync();
    if (what is "e2e" or "all")
    {
        await EndToEndBenchmark.RunAsync(services, photo);
    }

    if (what is "sockets" or "all")
    {
        await SocketMemoryBenchmark.RunAsync(services);
    }
}

return 0;

namespace WearIt.Bench
{
    /// <summary>Milliseconds per try-on in the pose engine, fast and quality mode, one thread.</summary>
    internal static class EngineBenchmark
    {
        public static async Task RunAsync(byte[] photo)
        {
            using var models = EngineModels.Load();
            var engine = new PoseTryonEngine(models.Analyzer, models.Garments);
            var garment = new GarmentInput("upper", GarmentArtist.Draw(GarmentKind.Shirt, SKColors.SteelBlue));
            Console.WriteLine("| engine | mode | runs | mean ms | p50 ms | p95 ms |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var mode in new[] { TryonMode.Fast, TryonMode.Quality })
            {
                var request = new TryonRequest(photo, [garment], mode, 1);
                await engine.RunAsync(request, new Progress<TryonProgress>(), CancellationToken.None); // warm-up
                var times = new List<double>();
                for (var run = 0; run < 20; run++)
                {
                    var clock = Stopwatch.StartNew();
                    await engine.RunAsync(request, new Progress<TryonProgress>(), CancellationToken.None);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| pose | {mode.ToString().ToLowerInvariant()} | {times.Count} | {times.Average():0.0} | {Stats.Percentile(times, 50):0.0} | {Stats.Percentile(times, 95):0.0} |"));
            }

            Console.WriteLine();
        }
    }

    internal static class Stats
    {
        public static double Percentile(IReadOnlyList<double> values, double percentile)
        {
            var sorted = values.Order().ToList();
            var index = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
            return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
        }
    }
}
