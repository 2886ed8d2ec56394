using LiteDB;
using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.Tests.Repositories;

/// <summary>A throw-away database of one backend, for repository contract suites.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    /// <summary>Makes the backend's implementation of a repository over this database.</summary>
    T Create<T>(Func<IMongoDatabase, T> mongo, Func<ILiteDatabase, T> lite);
}

/// <summary>A LiteDB file in the temp folder, opened as the services open theirs.</summary>
public sealed class LiteTestDatabase : ITestDatabase
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"wearit-repo-{Guid.NewGuid():N}.db");
    private readonly LiteDatabase _database;

    public LiteTestDatabase() => _database = new LiteDatabase(new ConnectionString($"Filename={_file};Connection=shared"), LiteDatabaseRegistration.CreateMapper());

    public T Create<T>(Func<IMongoDatabase, T> mongo, Func<ILiteDatabase, T> lite) => lite(_database);

    public ValueTask DisposeAsync()
    {
        _database.Dispose();
        File.Delete(_file);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A fresh database on the MongoDB server at <c>WEARIT_TEST_MONGODB</c>, dropped afterwards.</summary>
public sealed class MongoTestDatabase : ITestDatabase
{
    public const string Variable = "WEARIT_TEST_MONGODB";
    private readonly MongoClient _client;
    private readonly IMongoDatabase _database;

    private MongoTestDatabase(string connectionString)
    {
        MongoDBClientRegistration.ConfigureDriver();
        _client = new MongoClient(connectionString);
        _database = _client.GetDatabase($"wearit-test-{Guid.NewGuid():N}");
    }

    /// <summary>Opens one, or marks the calling test skipped (with the reason) when no server is configured.</summary>
    public static MongoTestDatabase OpenOrSkip()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(connectionString), $"{Variable} is not set; point it at a MongoDB server to run the MongoDB half of this contract.");
        return new MongoTestDatabase(connectionString!);
    }

    public T Create<T>(Func<IMongoDatabase, T> mongo, Func<ILiteDatabase, T> lite) => mongo(_database);

    public async ValueTask DisposeAsync()
    {
        await _client.DropDatabaseAsync(_database.DatabaseNamespace.DatabaseName);
        _client.Dispose();
    }
}
