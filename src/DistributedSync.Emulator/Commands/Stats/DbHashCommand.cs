using System.Diagnostics;
using System.Security.Cryptography;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Commands.Crud;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Stats;

/// <summary>
/// <c>dbHash</c> (alias <c>dbhash</c>): as mongod computes it, per collection the MD5 of its
/// documents' BSON bytes in <c>_id</c> order (the order of its <c>_id</c> index), and
/// <c>md5</c>, the MD5 of those hex digests concatenated in collection-name order. Replies
/// <c>{host, collections: {name: md5}, capped: [names], uuids: {name: UUID}, md5,
/// timeMillis}</c>, read from one snapshot. <c>collections</c> restricts the hash to the named
/// collections; like mongod it skips the unreplicated <c>local</c> database, <c>system.profile</c>
/// and <c>tmp.mr.*</c>. Two nodes holding the same documents give the same hashes whatever
/// order they were inserted in.
/// </summary>
public sealed class DbHashCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "collections", "$_internalReadAtClusterTime" };

    /// <inheritdoc />
    public string Name => "dbHash";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases => ["dbhash"];

    /// <inheritdoc />
    public string Help => "Computes a hash of the documents of the database's collections";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        HashSet<string>? wanted = null;
        if (context.Command.GetValueOrDefault("collections") is BsonArray names)
        {
            wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                wanted.Add(name is BsonString s ? s.Value : throw new ServerErrorException(ErrorCodes.BadValue, "collections entries have to be strings"));
            }
        }

        var hashes = new BsonDocument();
        var capped = new BsonArray();
        var uuids = new BsonDocument();
        using var overall = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using (var read = context.Storage.OpenRead())
        {
            var candidates = context.Storage.ListCollections(context.DatabaseName)
                .Select(c => c.Name)
                .Where(n => context.DatabaseName != "local" && n != "system.profile" && !n.StartsWith("tmp.mr.", StringComparison.Ordinal))
                .Where(n => wanted is null || wanted.Contains(n))
                .OrderBy(n => n, StringComparer.Ordinal);
            foreach (var name in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var info = read.GetCollection(context.DatabaseName, name);
                if (info is null)
                {
                    continue;
                }

                var hash = HashCollection(read, info);
                hashes.Add(name, hash);
                overall.AppendData(System.Text.Encoding.ASCII.GetBytes(hash));
                if (info.Options.Capped)
                {
                    capped.Add(name);
                }

                uuids.Add(name, BsonBinaryData.FromGuid(info.Uuid));
            }
        }

        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return ValueTask.FromResult(new BsonDocument
        {
            { "host", context.Server.HostAndPort },
            { "collections", hashes },
            { "capped", capped },
            { "uuids", uuids },
            { "md5", Convert.ToHexStringLower(overall.GetHashAndReset()) },
            { "timeMillis", ScaleArgument.Number(elapsed) },
        });
    }

    /// <summary>The MD5 (lower-case hex) of a collection's documents in <c>_id</c> order.</summary>
    internal static string HashCollection(ReadContext read, CollectionInfo collection)
    {
        ArgumentNullException.ThrowIfNull(read);
        var documents = read.Scan(collection).Select(s => s.Document).ToList();
        documents.Sort((a, b) => BsonValueComparer.Instance.Compare(a.GetValueOrDefault("_id"), b.GetValueOrDefault("_id")));
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var document in documents)
        {
            md5.AppendData(BsonCodec.ToBytes(document));
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }
}
