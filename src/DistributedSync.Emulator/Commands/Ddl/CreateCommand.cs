using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// <c>create</c>: creates a collection, plain or capped (<c>capped</c>, <c>size</c> required
/// and at least 1, optional <c>max</c>). mongod's option checks and messages; the size is
/// rounded up to a multiple of 256 as listCollections reports it (storage also applies its
/// 4096-byte minimum). Like mongod 7.0 (SERVER-60064) creating an existing collection again
/// with identical options succeeds; with other options it is NamespaceExists (48). Views, time-series,
/// clustered collections, validators and non-simple collations are not supported.
/// </summary>
public sealed class CreateCommand : ICommandHandler
{
    private const long OnePetabyte = 1024L * 1024 * 1024 * 1024 * 1024;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "capped", "size", "max", "autoIndexId", "idIndex", "validator", "validationLevel", "validationAction",
        "indexOptionDefaults", "storageEngine", "collation", "viewOn", "pipeline", "timeseries",
        "expireAfterSeconds", "clusteredIndex", "changeStreamPreAndPostImages", "encryptedFields", "temp",
        "recordPreImages", "flags", "collectionUUID",
    };

    private static readonly string[] Unsupported = ["viewOn", "pipeline", "timeseries", "clusteredIndex", "encryptedFields", "expireAfterSeconds"];

    /// <inheritdoc />
    public string Name => "create";

    /// <inheritdoc />
    public string Help => "explicitly creates a collection or view";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(command, Name, Known);
        var capped = CommandArgs.Bool(command, Name, "capped") ?? false;
        var size = CommandArgs.Int64AtLeast(command, Name, "size", 1);
        var max = CommandArgs.Int64(command, Name, "max");
        CommandArgs.Document(command, Name, "validator");
        CommandArgs.RequireSimpleCollation(command, Name);
        foreach (var option in Unsupported)
        {
            if (command.GetValueOrDefault(option) is { IsNull: false })
            {
                throw new ServerErrorException(ErrorCodes.NotImplemented, $"The emulator does not support the create option '{option}'.");
            }
        }

        if (command.GetValueOrDefault("validator") is BsonDocument { Count: > 0 })
        {
            throw new ServerErrorException(ErrorCodes.NotImplemented, "The emulator does not support collection validators.");
        }

        var options = Options(capped, size, max);
        var durable = WriteConcernArgs.ParseDurable(command);
        NamespaceRules.CheckCreate(context.DatabaseName, collection);
        var database = context.DatabaseName;
        await context.Storage.WriteAsync(
            write =>
            {
                if (write.GetCollection(database, collection) is not { } existing)
                {
                    return write.CreateCollection(database, collection, options);
                }

                if (BsonValueComparer.Instance.Compare(existing.Options.Raw, options.Raw) != 0)
                {
                    throw new ServerErrorException(ErrorCodes.NamespaceExists,
                        $"namespace {existing.Namespace} already exists, but with different options: {DescribeOptions(existing)}");
                }

                return existing;
            },
            durable,
            cancellationToken).ConfigureAwait(false);
        return [];
    }

    // mongod prints the stored options with the collection's UUID first.
    private static string DescribeOptions(CollectionInfo collection)
    {
        var rest = Query.BsonText.Value(collection.Options.Raw);
        var uuid = $"uuid: UUID(\"{collection.Uuid}\")";
        return collection.Options.Raw.Count == 0 ? "{ " + uuid + " }" : "{ " + uuid + ", " + rest[2..];
    }

    private static CollectionOptions Options(bool capped, long? size, long? max)
    {
        if (capped && size is null)
        {
            throw new ServerErrorException(ErrorCodes.InvalidOptions, "the 'size' field is required when 'capped' is true");
        }

        if (!capped && (size is not null || max is not null))
        {
            throw new ServerErrorException(ErrorCodes.InvalidOptions, "the 'capped' field needs to be true when either the 'size' or 'max' fields are present");
        }

        if (!capped)
        {
            return CollectionOptions.Default;
        }

        if (size > OnePetabyte)
        {
            throw new ServerErrorException(ErrorCodes.BadValue, "size cannot exceed 1 PB");
        }

        if (max >= 1L << 31)
        {
            throw new ServerErrorException(ErrorCodes.BadValue, "max in a capped collection has to be < 2^31 or not set");
        }

        // mongod keeps the size rounded up to 256 bytes, and a max of 0 or less as "no limit" (2^31 - 1).
        var adjustedSize = (size!.Value + 0xff) & ~0xffL;
        var raw = new BsonDocument { { "capped", true }, { "size", Number(adjustedSize) } };
        long? adjustedMax = null;
        if (max is { } m)
        {
            adjustedMax = m <= 0 ? int.MaxValue : m;
            raw.Add("max", Number(adjustedMax.Value));
        }

        return CollectionOptions.ForCapped(adjustedSize, adjustedMax is int.MaxValue ? null : adjustedMax, raw);
    }

    // BSONObjBuilder::appendNumber: an int when the value is within +-2^30, else a long.
    private static BsonValue Number(long value) => value is >= -(1L << 30) and <= 1L << 30 ? (BsonValue)(int)value : value;
}
