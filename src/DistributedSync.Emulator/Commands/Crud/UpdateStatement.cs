using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Update;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// One statement of an <c>update</c> command (<c>{q, u, upsert, multi, arrayFilters, hint,
/// collation}</c>). Structural errors are command errors, as mongod's IDL parser raises them;
/// compiling the update (<see cref="Compile"/>) happens per statement, so its errors become
/// write errors.
/// </summary>
internal sealed record UpdateStatement(BsonDocument Query, BsonValue Update, bool Upsert, bool Multi, BsonArray? ArrayFilters, BsonValue? Hint)
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "q", "u", "upsert", "multi", "arrayFilters", "hint", "collation", "c", "upsertSupplied", "sampleId", "$_allowShardKeyUpdatesWithoutFullShardKeyInQuery",
    };

    /// <summary>Parses one entry of <c>updates</c>.</summary>
    public static UpdateStatement Parse(BsonDocument statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        const string prefix = "update.updates";
        CommandArgs.RejectUnknown(statement, prefix, Known, first: 0);
        var query = CommandArgs.Document(statement, prefix, "q") ?? throw CommandArgs.Missing(prefix, "q");
        var update = statement.GetValueOrDefault("u") ?? throw CommandArgs.Missing(prefix, "u");
        if (update is not (BsonDocument or BsonArray))
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, "Update argument must be either an object or an array");
        }

        CommandArgs.RequireSimpleCollation(statement, prefix);
        return new UpdateStatement(
            query,
            update,
            CommandArgs.Bool(statement, prefix, "upsert") ?? false,
            CommandArgs.Bool(statement, prefix, "multi") ?? false,
            CommandArgs.Array(statement, prefix, "arrayFilters"),
            statement.GetValueOrDefault("hint"));
    }

    /// <summary>Compiles the update (operators, replacement or pipeline) with mongod's checks.</summary>
    public UpdateSpec Compile() => CompileUpdate(Update, ArrayFilters, Multi);

    /// <summary>Compiles an update value of update or findAndModify.</summary>
    public static UpdateSpec CompileUpdate(BsonValue update, BsonArray? arrayFilters, bool multi)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update is BsonArray pipeline)
        {
            if (arrayFilters is { Count: > 0 })
            {
                throw new ServerErrorException(ErrorCodes.FailedToParse, "arrayFilters may not be specified for pipeline-style updates");
            }

            return UpdateSpec.CompilePipeline(pipeline);
        }

        var spec = UpdateSpec.Compile((BsonDocument)update, arrayFilters);
        if (multi && spec.IsReplacement)
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, "multi update is not supported for replacement-style update");
        }

        return spec;
    }
}
