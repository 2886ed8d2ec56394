using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace WearIt.ServiceDefaults.Databases;

/// <summary>Registers the service's document database from <c>WearIt:Database</c>.</summary>
public static class DatabaseRegistration
{
    /// <summary>Registers MongoDB or LiteDB, whichever <c>WearIt:Database:Provider</c> names.</summary>
    public static IHostApplicationBuilder AddWearItDatabase(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (string.IsNullOrWhiteSpace(options.ConnectionStringName))
        {
            throw new InvalidOperationException($"{DatabaseOptions.SectionName}:ConnectionStringName is not configured.");
        }

        return options.Provider switch
        {
            DatabaseProvider.MongoDB => builder.AddMongoDBClient(options.ConnectionStringName),
            DatabaseProvider.LiteDB => builder.AddLiteDatabase(options.ConnectionStringName),
            _ => throw new InvalidOperationException($"{DatabaseOptions.SectionName}:Provider '{options.Provider}' is not supported."),
        };
    }
}
