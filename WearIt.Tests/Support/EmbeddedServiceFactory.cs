using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.Tests.Support;

/// <summary>Hosts one WearIt service in memory in embedded mode, with its LiteDB file and objects in a temp folder.</summary>
public sealed class EmbeddedServiceFactory<TEntryPoint>(string connectionStringName) : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    /// <summary>ApiService's user-token secret in tests (the ES256 key is derived from it).</summary>
    public const string SigningKey = "test-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz";

    /// <summary>The service-token key of both services in tests.</summary>
    public const string ServiceSigningKey = "test-service-token-key-0123456789-abcdefghijklmnopqrstuvwxyz";

    /// <summary>The public key of <see cref="SigningKey"/>'s user tokens, as TryonService is given it.</summary>
    public static readonly string UserTokenPublicKeyPem = UserTokenKeys.FromSecret(SigningKey).ECDsa.ExportSubjectPublicKeyInfoPem();

    public string DataRoot { get; } = Path.Combine(Path.GetTempPath(), "wearit-svc-" + Guid.NewGuid().ToString("N"));

    public string MailDirectory => Path.Combine(DataRoot, "mail");

    /// <summary>Requests per minute per address on /auth; high unless a test is about the limit.</summary>
    public int RateLimitPermits { get; init; } = 10_000;

    /// <summary>Opens the LiteDB file in shared mode, for a test that runs a second instance over it (embedded mode itself is direct).</summary>
    public bool SharedDatabase { get; init; }

    /// <summary>More configuration, applied after the defaults above.</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>
    /// Ended sessions a TryonService in memory learns of (it has no ApiService to ask): a test adds to it, and the
    /// service's revocation refresher reads it as it would read ApiService.
    /// </summary>
    public ConcurrentQueue<SessionRevocation> Revocations { get; } = new();

    /// <summary>Replacements of services, such as a test double of another service's client.</summary>
    public List<Action<IServiceCollection>> ServiceOverrides { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Jwt:ServiceSigningKey", ServiceSigningKey);
        if (typeof(TEntryPoint) == typeof(WearIt.TryonService.TryonServiceAssembly))
        {
            // As in production, TryonService holds the user tokens' public key only (here given, there fetched).
            builder.UseSetting("Jwt:UserTokenPublicKey", UserTokenPublicKeyPem);
        }
        else
        {
            builder.UseSetting("Jwt:SigningKey", SigningKey);
        }

        builder.UseSetting("WearIt:Database:Provider", "litedb");
        builder.UseSetting("WearIt:Database:ConnectionStringName", connectionStringName);
        builder.UseSetting($"ConnectionStrings:{connectionStringName}", $"Filename={Path.Combine(DataRoot, "db", connectionStringName + ".db")};Connection={(SharedDatabase ? "shared" : "direct")}");
        builder.UseSetting("WearIt:Storage:Provider", "filesystem");
        builder.UseSetting("WearIt:Storage:RootPath", Path.Combine(DataRoot, "objects"));
        builder.UseSetting("WearIt:Mail:Provider", "pickup");
        builder.UseSetting("WearIt:Mail:PickupDirectory", MailDirectory);
        builder.UseSetting("WearIt:Mail:LinkBaseUrl", "http://localhost");
        // Fast hashes keep the suite quick; the production iteration count is AuthOptions' default.
        builder.UseSetting("WearIt:Auth:PasswordHashIterations", "1000");
        builder.UseSetting("WearIt:Auth:RateLimitPermits", RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Seeding draws 64 images; only the catalog tests that need it turn it on.
        builder.UseSetting("WearIt:Catalog:Seed", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (typeof(TEntryPoint) == typeof(WearIt.TryonService.TryonServiceAssembly))
            {
                services.AddScoped<ISessionRevocationSource>(_ => new QueuedRevocations(Revocations));
            }

            foreach (var configure in ServiceOverrides)
            {
                configure(services);
            }
        });
    }

    private sealed class QueuedRevocations(ConcurrentQueue<SessionRevocation> revocations) : ISessionRevocationSource
    {
        public Task<IReadOnlyList<SessionRevocation>> ListSinceAsync(DateTime since, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SessionRevocation>>([.. revocations.Where(revocation => revocation.At >= since)]);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(DataRoot))
        {
            Directory.Delete(DataRoot, recursive: true);
        }
    }
}
