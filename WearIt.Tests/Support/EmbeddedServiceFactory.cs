using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace WearIt.Tests.Support;

/// <summary>Hosts one WearIt service in memory in embedded mode, with its LiteDB file and objects in a temp folder.</summary>
public sealed class EmbeddedServiceFactory<TEntryPoint>(string connectionStringName) : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    public const string SigningKey = "test-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz";

    public string DataRoot { get; } = Path.Combine(Path.GetTempPath(), "wearit-svc-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Jwt:SigningKey", SigningKey);
        builder.UseSetting("WearIt:Database:Provider", "litedb");
        builder.UseSetting("WearIt:Database:ConnectionStringName", connectionStringName);
        builder.UseSetting($"ConnectionStrings:{connectionStringName}", $"Filename={Path.Combine(DataRoot, "db", connectionStringName + ".db")};Connection=shared");
        builder.UseSetting("WearIt:Storage:Provider", "filesystem");
        builder.UseSetting("WearIt:Storage:RootPath", Path.Combine(DataRoot, "objects"));
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
