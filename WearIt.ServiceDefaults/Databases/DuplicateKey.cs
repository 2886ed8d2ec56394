using LiteDB;
using MongoDB.Driver;

namespace WearIt.ServiceDefaults.Databases;

/// <summary>Recognises a unique-index violation in either backend, so repositories can report it as a result.</summary>
public static class DuplicateKey
{
    /// <summary>Whether MongoDB refused a write because a unique index already holds the value.</summary>
    public static bool IsMongo(Exception exception) =>
        exception is MongoWriteException { WriteError.Category: ServerErrorCategory.DuplicateKey }
        || exception is MongoBulkWriteException bulk && bulk.WriteErrors.Any(error => error.Category == ServerErrorCategory.DuplicateKey);

    /// <summary>Whether LiteDB refused a write because a unique index (or the primary key) already holds the value.</summary>
    public static bool IsLite(Exception exception) =>
        exception is LiteException { ErrorCode: LiteException.INDEX_DUPLICATE_KEY };
}
