using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace WearIt.Bench;

/// <summary>ApiService and TryonService started as real processes in embedded mode, on loopback ports.</summary>
internal sealed class ServiceProcesses : IAsyncDisposable
{
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "wearit-bench-" + Guid.NewGuid().ToString("N"));
    private readonly List<Process> _processes = [];

    public Uri Api { get; private set; } = null!;

    public Uri Tryon { get; private set; } = null!;

    public Process TryonProcess => _processes[1];

    public static async Task<ServiceProcesses> StartAsync()
    {
        var services = new ServiceProcesses();
        await services.StartAllAsync();
        return services;
    }

    private async Task StartAllAsync()
    {
        var root = FindRepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        Api = new Uri($"http://127.0.0.1:{FreePort()}");
        Tryon = new Uri($"http://127.0.0.1:{FreePort()}");
        var shared = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Jwt__ServiceSigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            ["WearIt__Database__Provider"] = "litedb",
            ["WearIt__Storage__Provider"] = "filesystem",
            ["WearIt__Storage__RootPath"] = Path.Combine(_dataRoot, "objects"),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        _processes.Add(Start(root, configuration, "WearIt.ApiService", Api, new(shared)
        {
            ["Jwt__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            ["WearIt__Database__ConnectionStringName"] = "wearit",
            ["ConnectionStrings__wearit"] = $"Filename={Path.Combine(_dataRoot, "wearit.db")};Connection=direct",
            ["WearIt__Mail__PickupDirectory"] = Path.Combine(_dataRoot, "mail"),
            // Setup speed only: the benchmark measures try-ons, not password hashing.
            ["WearIt__Auth__PasswordHashIterations"] = "10000",
            ["WearIt__Auth__RateLimitPermits"] = "1000000",
            ["services__tryonservice__http__0"] = Tryon.ToString(),
        }));
        _processes.Add(Start(root, configuration, "WearIt.TryonService", Tryon, new(shared)
        {
            ["WearIt__Database__ConnectionStringName"] = "wearit-tryon",
            ["ConnectionStrings__wearit-tryon"] = $"Filename={Path.Combine(_dataRoot, "wearit-tryon.db")};Connection=direct",
            ["WearIt__Tryon__Concurrency"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["services__apiservice__http__0"] = Api.ToString(),
            ["Jwt__Authority"] = Api.ToString(),
        }));

        using var http = new HttpClient();
        foreach (var service in new[] { Api, Tryon })
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var health = await http.GetAsync(new Uri(service, "/health"));
                    if (health.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (attempt < 120)
                {
                    // Not listening yet: wait and ask again.
                }

                if (attempt >= 120)
                {
                    throw new InvalidOperationException($"{service} did not become healthy.");
                }

                await Task.Delay(500);
            }
        }
    }

    /// <summary>Signs a new user up and uploads their photo; returns the access token, body id and a catalog top.</summary>
    public async Task<(string Token, Guid Body, Guid Top)> NewUserAsync(HttpClient http, byte[] photo)
    {
        var token = await SignUpAsync(http);
        var uploaded = await UploadAsync(http, token, photo);
        uploaded.EnsureSuccessStatusCode();
        var body = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        uploaded.Dispose();
        await WaitUntilCheckedAsync(http, token, body);
        var top = (await http.GetFromJsonAsync<JsonElement>(new Uri(Api, "/api/v1/catalog/products?category=tops&pageSize=1"))).GetProperty("items")[0].GetProperty("id").GetGuid();
        return (token, body, top);
    }

    /// <summary>Signs a new user up and verifies their email; returns the access token.</summary>
    public async Task<string> SignUpAsync(HttpClient http)
    {
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        using var signup = await http.PostAsJsonAsync(new Uri(Api, "/api/v1/auth/signup"), new { email, password = "benchmark password", name = "Bench" });
        signup.EnsureSuccessStatusCode();
        var token = (await signup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tokens").GetProperty("access_token").GetString()!;
        using var verified = await http.PostAsJsonAsync(new Uri(Api, "/api/v1/auth/verify-email"), new { email, code = await BenchMail.VerificationCodeAsync(Path.Combine(_dataRoot, "mail"), email) });
        verified.EnsureSuccessStatusCode();
        return token;
    }

    /// <summary>Uploads the photo, as a client should: a 503 busy (every decode slot and queue place taken) is sent again after its Retry-After.</summary>
    private async Task<HttpResponseMessage> UploadAsync(HttpClient http, string token, byte[] photo)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(photo), "image", "photo.png" } };
            using var upload = new HttpRequestMessage(HttpMethod.Post, new Uri(Api, "/api/v1/bodies")) { Content = form };
            upload.Headers.Authorization = new("Bearer", token);
            var response = await http.SendAsync(upload);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt >= 20)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait);
        }
    }

    /// <summary>Waits for the photo's analysis (it runs after the upload answers), for up to a minute.</summary>
    private async Task WaitUntilCheckedAsync(HttpClient http, string token, Guid body)
    {
        for (var poll = 0; poll < 600; poll++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Api, $"/api/v1/bodies/{body}"));
            request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request);
            var status = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString();
            if (status == "ready")
            {
                return;
            }

            if (status != "processing")
            {
                throw new InvalidOperationException($"The benchmark photo was {status}.");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The benchmark photo was still being checked after a minute.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        if (Directory.Exists(_dataRoot))
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
    }

    private static Process Start(string root, string configuration, string project, Uri url, Dictionary<string, string> environment)
    {
        var directory = Path.Combine(root, project, "bin", configuration, "net10.0");
        var startInfo = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(root, project), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(Path.Combine(directory, project + ".dll"));
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(url.ToString());
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{project} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) Console.Error.WriteLine($"[{project}] {line.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WearIt.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
