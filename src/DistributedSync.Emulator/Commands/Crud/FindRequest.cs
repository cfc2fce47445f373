using DistributedSync.Bson;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// The arguments of a <c>find</c> command, parsed and validated as mongod's find IDL and
/// <c>validateFindCommandRequest</c> do (same codes and messages).
/// </summary>
internal sealed class FindRequest
{
    /// <summary>mongod's default size of a first batch when none is asked for.</summary>
    public const int DefaultFirstBatchSize = 101;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "filter", "projection", "sort", "hint", "collation", "skip", "limit", "batchSize", "ntoreturn",
        "singleBatch", "allowDiskUse", "min", "max", "returnKey", "showRecordId", "tailable", "oplogReplay",
        "noCursorTimeout", "awaitData", "allowPartialResults", "let", "options", "term", "readOnce",
        "allowSpeculativeMajorityRead", "runtimeConstants", "collectionUUID",
    };

    private FindRequest()
    {
    }

    /// <summary>The collection.</summary>
    public required string Collection { get; init; }

    /// <summary>The filter (empty for all documents).</summary>
    public required BsonDocument Filter { get; init; }

    /// <summary>The projection, or null.</summary>
    public BsonDocument? Projection { get; init; }

    /// <summary>The sort, or null.</summary>
    public BsonDocument? Sort { get; init; }

    /// <summary>The hint, or null.</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>Documents to skip.</summary>
    public long Skip { get; init; }

    /// <summary>The most documents to return (null or 0: no limit).</summary>
    public long? Limit { get; init; }

    /// <summary>The size of the first batch (null: the default of 101).</summary>
    public long? BatchSize { get; init; }

    /// <summary>Close the cursor after the first batch.</summary>
    public bool SingleBatch { get; init; }

    /// <summary>A tailable cursor (capped collections only).</summary>
    public bool Tailable { get; init; }

    /// <summary>A tailable cursor whose getMore waits for data.</summary>
    public bool AwaitData { get; init; }

    /// <summary>No idle timeout for the cursor.</summary>
    public bool NoCursorTimeout { get; init; }

    /// <summary>The time limit, or null.</summary>
    public int? MaxTimeMs { get; init; }

    /// <summary>Parses and validates the find command of <paramref name="context"/>.</summary>
    public static FindRequest Parse(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        const string name = "find";
        var command = context.Command;
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(command, name, Known);
        var request = new FindRequest
        {
            Collection = collection,
            Filter = CommandArgs.Document(command, name, "filter") ?? [],
            Projection = CommandArgs.Document(command, name, "projection"),
            Sort = CommandArgs.Document(command, name, "sort"),
            Hint = command.GetValueOrDefault("hint"),
            Skip = CommandArgs.Int64AtLeast(command, name, "skip", 0) ?? 0,
            Limit = CommandArgs.Int64AtLeast(command, name, "limit", 0),
            BatchSize = CommandArgs.Int64AtLeast(command, name, "batchSize", 0),
            SingleBatch = CommandArgs.Bool(command, name, "singleBatch") ?? false,
            Tailable = CommandArgs.Bool(command, name, "tailable") ?? false,
            AwaitData = CommandArgs.Bool(command, name, "awaitData") ?? false,
            NoCursorTimeout = CommandArgs.Bool(command, name, "noCursorTimeout") ?? false,
            MaxTimeMs = CommandArgs.MaxTimeMs(command, name),
        };
        var ntoreturn = CommandArgs.Int64AtLeast(command, name, "ntoreturn", 0);
        CommandArgs.Bool(command, name, "allowDiskUse");
        CommandArgs.RequireSimpleCollation(command, name);
        RejectUnsupported(command);
        if (ntoreturn is not null && (request.Limit is not null || request.BatchSize is not null))
        {
            throw new ServerErrorException(ErrorCodes.BadValue, "'limit' or 'batchSize' fields can not be set with 'ntoreturn' field.");
        }

        if (request.Tailable)
        {
            var natural = request.Sort is null || request.Sort.Count == 0
                || (request.Sort.Count == 1 && request.Sort[0].Name == "$natural" && request.Sort[0].Value.IsNumeric && request.Sort[0].Value.ToDouble() == 1);
            if (!natural)
            {
                throw new ServerErrorException(ErrorCodes.BadValue, "cannot use tailable option with a sort other than {$natural: 1}");
            }

            if (request.SingleBatch)
            {
                throw new ServerErrorException(ErrorCodes.BadValue, "cannot use tailable option with the 'singleBatch' option");
            }
        }
        else if (request.AwaitData)
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, "Cannot set 'awaitData' without also setting 'tailable'");
        }

        return ntoreturn is null ? request : request.WithNToReturn(ntoreturn.Value);
    }

    // ntoreturn (deprecated) means batchSize, and with singleBatch a limit.
    private FindRequest WithNToReturn(long ntoreturn) => new()
    {
        Collection = Collection,
        Filter = Filter,
        Projection = Projection,
        Sort = Sort,
        Hint = Hint,
        Skip = Skip,
        Limit = SingleBatch ? ntoreturn : null,
        BatchSize = ntoreturn,
        SingleBatch = SingleBatch,
        Tailable = Tailable,
        AwaitData = AwaitData,
        NoCursorTimeout = NoCursorTimeout,
        MaxTimeMs = MaxTimeMs,
    };

    private static void RejectUnsupported(BsonDocument command)
    {
        foreach (var option in new[] { "min", "max" })
        {
            if (command.GetValueOrDefault(option) is BsonDocument { Count: > 0 })
            {
                throw new ServerErrorException(ErrorCodes.NotImplemented, $"The emulator does not support the find option '{option}'.");
            }
        }

        foreach (var option in new[] { "returnKey", "showRecordId" })
        {
            if (command.GetValueOrDefault(option) is { } value && value.ToBoolean())
            {
                throw new ServerErrorException(ErrorCodes.NotImplemented, $"The emulator does not support the find option '{option}'.");
            }
        }
    }
}
