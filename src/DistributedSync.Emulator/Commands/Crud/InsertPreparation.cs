using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// What mongod does to a document before storing it (its <c>fixDocumentForInsert</c>): rejects
/// documents over 16 MiB (BadValue) or nested deeper than 100 levels (Overflow), an <c>_id</c>
/// that is a regex, an array or undefined (InvalidIdField) or an object with <c>$</c>-prefixed
/// fields (DollarPrefixedFieldName), and a repeated <c>_id</c>; then moves <c>_id</c> first
/// (generating an ObjectId when missing) and replaces top-level <c>Timestamp(0, 0)</c> values
/// with the current time. Other <c>$</c>-prefixed field names are allowed, as in mongod 5.0+.
/// </summary>
internal static class InsertPreparation
{
    private static readonly object ClockLock = new();
    private static uint _lastSeconds;
    private static uint _increment;

    /// <summary>The document to store, or throws the mongod error for an invalid one.</summary>
    public static BsonDocument Prepare(BsonDocument document, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(time);
        return Fix(document, null, time, out _);
    }

    /// <summary><see cref="Prepare(BsonDocument, TimeProvider)"/> plus the encoding to store.</summary>
    public static PreparedInsert PrepareForStorage(BsonDocument document, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(time);
        var result = Fix(document, null, time, out _);
        return new PreparedInsert(result["_id"], BsonCodec.ToBytes(result), result);
    }

    /// <summary>
    /// The checks and fixes. <paramref name="received"/>, when given, holds the size and depth of
    /// the document's canonical encoding, read from its received bytes instead of the tree.
    /// <paramref name="generatedId"/> is the <c>_id</c> put first when the document had none and
    /// no other field changed.
    /// </summary>
    internal static BsonDocument Fix(BsonDocument document, (int Size, int Depth)? received, TimeProvider time, out ObjectId? generatedId)
    {
        generatedId = null;
        var size = received?.Size ?? BsonCodec.GetEncodedSize(document);
        if (size > ServerVersion.MaxBsonObjectSize)
        {
            throw new ServerErrorException(ErrorCodes.BadValue,
                $"object to insert too large. size in bytes: {size.ToString(CultureInfo.InvariantCulture)}, max size: {ServerVersion.MaxBsonObjectSize.ToString(CultureInfo.InvariantCulture)}");
        }

        CheckDepth(received?.Depth ?? Depth(document));
        var idCount = 0;
        var fixTimestamp = false;
        foreach (var (name, value) in document)
        {
            if (value is BsonTimestamp { Value: 0 })
            {
                fixTimestamp = true;
            }

            if (name == "_id")
            {
                ValidateId(value);
                idCount++;
            }
        }

        if (idCount > 1)
        {
            throw new ServerErrorException(ErrorCodes.BadValue, "can't have multiple _id fields in one document");
        }

        if (idCount == 1 && document[0].Name == "_id" && !fixTimestamp)
        {
            return document;
        }

        var result = new BsonDocument(document.Count + 1);
        if (document.GetValueOrDefault("_id") is { } existing)
        {
            result.Add("_id", existing);
        }
        else
        {
            var id = ObjectId.GenerateNewId(time);
            generatedId = fixTimestamp ? null : id;
            result.Add("_id", new BsonObjectId(id));
        }

        foreach (var (name, value) in document)
        {
            if (name == "_id")
            {
                continue;
            }

            result.Add(name, value is BsonTimestamp { Value: 0 } ? NextTimestamp(time) : value);
        }

        return result;
    }

    /// <summary>mongod's checks of an <c>_id</c> value (also applied to upserted documents).</summary>
    public static void ValidateId(BsonValue id)
    {
        ArgumentNullException.ThrowIfNull(id);
        switch (id.Type)
        {
            case BsonType.RegularExpression or BsonType.Array or BsonType.Undefined:
                throw new ServerErrorException(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type " + CommandContext.TypeName(id));
            case BsonType.Document when FindDollarField((BsonDocument)id) is { } bad:
                throw new ServerErrorException(ErrorCodes.DollarPrefixedFieldName, $"_id fields may not contain '$'-prefixed fields: {bad} is not valid for storage.");
        }
    }

    /// <summary>
    /// Rejects documents nested deeper than the storage limit (100 levels, the top level counting
    /// as one; an empty sub-document or array does not add a level, as in mongod).
    /// </summary>
    public static void CheckDepth(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        CheckDepth(Depth(document));
    }

    private static void CheckDepth(int depth)
    {
        if (depth > BsonReaderOptions.MaxStoredDocumentDepth)
        {
            throw new ServerErrorException(Query.QueryErrorCodes.Overflow, $"cannot insert document because it exceeds {BsonReaderOptions.MaxStoredDocumentDepth.ToString(CultureInfo.InvariantCulture)} levels of nesting");
        }
    }

    /// <summary>A fresh timestamp for a top-level <c>Timestamp(0, 0)</c>: the current second and an increasing counter.</summary>
    public static BsonTimestamp NextTimestamp(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var seconds = (uint)Math.Clamp(time.GetUtcNow().ToUnixTimeSeconds(), 0, uint.MaxValue);
        lock (ClockLock)
        {
            if (seconds > _lastSeconds)
            {
                _lastSeconds = seconds;
                _increment = 0;
            }

            _increment++;
            return new BsonTimestamp(_lastSeconds, _increment);
        }
    }

    private static int Depth(BsonValue value)
    {
        var deepest = 0;
        switch (value)
        {
            case BsonDocument d:
                foreach (var element in d)
                {
                    deepest = Math.Max(deepest, ChildDepth(element.Value));
                }

                break;
            case BsonArray a:
                foreach (var item in a)
                {
                    deepest = Math.Max(deepest, ChildDepth(item));
                }

                break;
        }

        return 1 + deepest;
    }

    private static int ChildDepth(BsonValue value) => value switch
    {
        BsonDocument { Count: 0 } or BsonArray { Count: 0 } => 0,
        BsonDocument or BsonArray => Depth(value),
        _ => 0,
    };

    // The first "$"-prefixed field name inside an _id document (a DBRef's $ref/$id/$db are allowed).
    private static string? FindDollarField(BsonDocument document)
    {
        var isDbRef = document.Count >= 2 && document[0].Name == "$ref" && document[1].Name == "$id";
        for (var i = 0; i < document.Count; i++)
        {
            var (name, value) = document[i];
            var allowed = isDbRef && (i < 2 || (i == 2 && name == "$db"));
            if (name.StartsWith('$') && !allowed)
            {
                return name;
            }

            var nested = value switch
            {
                BsonDocument d => FindDollarField(d),
                BsonArray a => a.OfType<BsonDocument>().Select(FindDollarField).FirstOrDefault(n => n is not null),
                _ => null,
            };
            if (nested is not null)
            {
                return nested;
            }
        }

        return null;
    }
}

/// <summary>A document ready to store.</summary>
/// <param name="Id">Its <c>_id</c>.</param>
/// <param name="Bytes">Its BSON encoding (<c>_id</c> first).</param>
/// <param name="Document">The document, or null when it was never decoded (the storage decodes <see cref="Bytes"/> if an index needs it).</param>
internal sealed record PreparedInsert(BsonValue Id, byte[] Bytes, BsonDocument? Document);
