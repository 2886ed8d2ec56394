using ILiteDatabase = LiteDB.ILiteDatabase;
using LiteBsonDocument = LiteDB.BsonDocument;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.Tests.Platform;

/// <summary>How a service gets its database from <c>WearIt:Database</c> and <c>ConnectionStrings</c>.</summary>
public sealed class DatabaseRegistrationTests
{
    [Fact]
    public void MongoDBRegistersOneClientAndTheDatabaseTheUrlNames()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["WearIt:Database:Provider"] = "mongodb";
        builder.Configuration["WearIt:Database:ConnectionStringName"] = "wearit";
        builder.Configuration["ConnectionStrings:wearit"] = "mongodb://root:pw@localhost:27017/wearit?authSource=admin";

        builder.AddWearItDatabase();
        using var services = builder.Services.BuildServiceProvider();

        Assert.Same(services.GetRequiredService<IMongoClient>(), services.GetRequiredService<IMongoClient>());
        Assert.Equal("wearit", services.GetRequiredService<IMongoDatabase>().DatabaseNamespace.DatabaseName);
        var guidSerializer = Assert.IsType<GuidSerializer>(BsonSerializer.LookupSerializer<Guid>());
        Assert.Equal(GuidRepresentation.Standard, guidSerializer.GuidRepresentation);
        var registrations = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Contains(registrations, registration => registration.Name == MongoDBClientRegistration.HealthCheckName);
    }

    [Fact]
    public async Task LiteDBOpensTheFileTheConnectionStringNamesAndReportsHealthy()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wearit-litedb-" + Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["WearIt:Database:Provider"] = "litedb";
        builder.Configuration["WearIt:Database:ConnectionStringName"] = "wearit";
        builder.Configuration["ConnectionStrings:wearit"] = $"Filename={Path.Combine(folder, "nested", "wearit.db")};Connection=shared";

        builder.AddWearItDatabase();
        await using (var services = builder.Services.BuildServiceProvider())
        {
            var database = services.GetRequiredService<ILiteDatabase>();
            database.GetCollection("probe").Insert(new LiteBsonDocument { ["_id"] = 1 });
            var health = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

            Assert.Equal(HealthStatus.Healthy, health.Status);
            Assert.True(File.Exists(Path.Combine(folder, "nested", "wearit.db")));
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void AMissingConnectionStringNamesTheKeyToSet()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["WearIt:Database:Provider"] = "mongodb";
        builder.Configuration["WearIt:Database:ConnectionStringName"] = "wearit";

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddWearItDatabase());

        Assert.Contains("ConnectionStrings:wearit", error.Message);
    }

    [Fact]
    public async Task TheMongoDBPingCheckIsHealthyAgainstARealServer()
    {
        var connectionString = Environment.GetEnvironmentVariable("WEARIT_TEST_MONGODB");
        Assert.SkipWhen(string.IsNullOrWhiteSpace(connectionString), "WEARIT_TEST_MONGODB is not set; point it at a MongoDB server to run this.");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["WearIt:Database:Provider"] = "mongodb";
        builder.Configuration["WearIt:Database:ConnectionStringName"] = "wearit";
        builder.Configuration["ConnectionStrings:wearit"] = connectionString;

        builder.AddWearItDatabase();
        await using var services = builder.Services.BuildServiceProvider();
        var health = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, health.Status);
    }
}
