using DistributedSync.Bson;

namespace DistributedSync.Mongo.Operations;

/// <summary>Helpers that add optional fields to command documents.</summary>
internal static class CommandFields
{
    /// <summary>Adds <paramref name="name"/> when <paramref name="value"/> is not null.</summary>
    public static BsonDocument AddIf(this BsonDocument command, string name, BsonValue? value)
    {
        if (value is not null)
        {
            command.Add(name, value);
        }

        return command;
    }

    /// <summary>Adds a boolean field when it has a value.</summary>
    public static BsonDocument AddIf(this BsonDocument command, string name, bool? value)
        => value is bool b ? command.Add(name, b) : command;

    /// <summary>Adds <c>maxTimeMS</c> (or another millisecond field) when a time is given.</summary>
    public static BsonDocument AddMilliseconds(this BsonDocument command, string name, TimeSpan? time)
    {
        if (time is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(t, TimeSpan.Zero, name);
            var ms = (long)t.TotalMilliseconds;
            command.Add(name, ms <= int.MaxValue ? BsonInt32.Create((int)ms) : new BsonInt64(ms));
        }

        return command;
    }

    /// <summary>Adds <c>writeConcern</c> unless it is the server default.</summary>
    public static BsonDocument AddWriteConcern(this BsonDocument command, WriteConcern writeConcern)
        => writeConcern.ToBsonDocument() is { } doc ? command.Add("writeConcern", doc) : command;

    /// <summary>Adds <c>readConcern</c> when given.</summary>
    public static BsonDocument AddReadConcern(this BsonDocument command, ReadConcern? readConcern)
        => readConcern is null ? command : command.Add("readConcern", readConcern.ToBsonDocument());

    /// <summary>Checks that an update document holds only update operators.</summary>
    public static void ValidateUpdateDocument(BsonDocument update, string paramName)
    {
        ArgumentNullException.ThrowIfNull(update, paramName);
        if (update.Count == 0 || !update[0].Name.StartsWith('$'))
        {
            throw new ArgumentException("An update document must consist of update operators such as $set (use ReplaceOne to replace a document).", paramName);
        }
    }

    /// <summary>Checks that a replacement holds no update operators.</summary>
    public static void ValidateReplacement(BsonDocument replacement, string paramName)
    {
        ArgumentNullException.ThrowIfNull(replacement, paramName);
        if (replacement.Count > 0 && replacement[0].Name.StartsWith('$'))
        {
            throw new ArgumentException("A replacement document must not contain update operators (use UpdateOne to apply operators).", paramName);
        }
    }

    /// <summary>Checks that an update pipeline is a non-empty array of stage documents.</summary>
    public static void ValidatePipeline(BsonArray pipeline, string paramName)
    {
        ArgumentNullException.ThrowIfNull(pipeline, paramName);
        if (pipeline.Count == 0 || pipeline.Any(stage => stage is not BsonDocument))
        {
            throw new ArgumentException("An update pipeline must be a non-empty array of stage documents.", paramName);
        }
    }
}
