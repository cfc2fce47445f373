using System.Text;
using DistributedSync.Bson;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>
/// Mutates a seed OP_MSG at the level of values: the result is valid BSON in a valid frame, so it
/// reaches command parsing, the query engine and the storage. Values are replaced by values of
/// other types and extreme values, fields are removed, renamed (to operators, dotted and
/// positional paths, other option names) or added. <c>$db</c> is never given another string
/// (only removed or given another type), and no generated string names the protected database.
/// </summary>
internal sealed class DocumentMutator(Random random)
{
    private static readonly string[] Names =
    [
        "", "a", "b", "_id", "x.y", "a.0", "a.$", "a.$[]", "a.$[e]", "$", "$a", "$set", "$unset", "$inc", "$mul", "$push", "$pull",
        "$addToSet", "$each", "$slice", "$sort", "$position", "$rename", "$min", "$max", "$currentDate", "$setOnInsert", "$bit",
        "$gt", "$gte", "$lt", "$in", "$nin", "$ne", "$exists", "$type", "$regex", "$options", "$elemMatch", "$size", "$all", "$not", "$and", "$or", "$nor",
        "$expr", "$mod", "$where", "$text", "$jsonSchema", "$match", "$group", "$project", "$unwind", "$limit", "$skip", "$count",
        "$addFields", "$replaceRoot", "$sortByCount", "$facet", "$bucket", "$lookup", "$sum", "$avg", "$first", "$push",
        "filter", "sort", "projection", "limit", "skip", "batchSize", "singleBatch", "hint", "collation", "let", "comment", "maxTimeMS",
        "q", "u", "multi", "upsert", "arrayFilters", "documents", "updates", "deletes", "pipeline", "cursor", "ordered",
        "writeConcern", "readConcern", "lsid", "txnNumber", "autocommit", "startTransaction", "$readPreference", "allowDiskUse",
        "tailable", "awaitData", "noCursorTimeout", "returnKey", "showRecordId", "min", "max", "new", "fields", "remove", "update", "query",
        "key", "name", "unique", "sparse", "indexes", "capped", "size", "nameOnly", "authorizedCollections", "explain",
    ];

    private static readonly string[] Strings =
    [
        "", "c", "x", "fuzz", "a.b", "$a", "$$ROOT", "$$CURRENT", "$$NOW", "$sum", "^x.*$", "(", "[", "a\0b", "c.d.e", "system.views",
        "system.profile", "héllo", "💥", "majority", "local", "snapshot", "_id", "-1", "1e400",
    ];

    private static readonly Lazy<(OpMsgMessage Message, SeedMessage Seed)[]> Decoded = new(() =>
        [.. FuzzCorpus.Seeds.Where(s => s.OpCode == OpCode.Msg).Select(s => ((OpMsgMessage)WireMessageCodec.Decode(s.Bytes), s))]);

    private readonly Random _random = random;

    /// <summary>A value-level mutation of a random OP_MSG seed (null when its encoding is refused).</summary>
    public FuzzInput? Next()
    {
        var (message, seed) = Decoded.Value[_random.Next(Decoded.Value.Length)];
        var body = message.Body.DeepClone();
        var sequences = message.Sequences.Select(s => (s.Identifier, Documents: s.Documents.Select(d => d.DeepClone()).ToList())).ToList();
        var description = new StringBuilder(seed.Name).Append(": values");
        var rounds = _random.Next(1, 4);
        for (var i = 0; i < rounds; i++)
        {
            if (sequences.Count > 0 && _random.Next(3) == 0)
            {
                var (identifier, documents) = sequences[_random.Next(sequences.Count)];
                if (documents.Count > 0)
                {
                    var index = _random.Next(documents.Count);
                    description.Append(' ').Append(identifier).Append('[').Append(index).Append(']');
                    MutateDocument(documents[index], description, depth: 0);
                }
            }
            else
            {
                MutateDocument(body, description, depth: 0, isBody: true);
            }
        }

        try
        {
            var mutated = new OpMsgMessage(body, sequences.Select(s => new DocumentSequence(s.Identifier, s.Documents)), message.Flags & OpMsgFlags.ChecksumPresent)
            {
                RequestId = _random.Next(1, int.MaxValue),
            };
            return new FuzzInput(WireMessageCodec.ToBytes(mutated), description.ToString());
        }
        catch (ArgumentException)
        {
            // E.g. a sequence identifier that is also a body field now: the encoder refuses it.
            return null;
        }
    }

    private void MutateDocument(BsonDocument document, StringBuilder description, int depth, bool isBody = false)
    {
        // Walk down into a nested value now and then.
        if (document.Count > 0 && depth < 6 && _random.Next(3) == 0)
        {
            var element = document[_random.Next(document.Count)];
            if (element.Value is BsonDocument child && !(isBody && element.Name == CommandMessage.DatabaseField))
            {
                description.Append(' ').Append(element.Name).Append('.');
                MutateDocument(child, description, depth + 1);
                return;
            }

            if (element.Value is BsonArray array && array.Count > 0)
            {
                var index = _random.Next(array.Count);
                description.Append(' ').Append(element.Name).Append('[').Append(index).Append(']');
                if (array[index] is BsonDocument item)
                {
                    MutateDocument(item, description, depth + 1);
                }
                else
                {
                    array[index] = RandomValue(depth + 1);
                }

                return;
            }
        }

        var choice = _random.Next(10);
        if (document.Count == 0 || choice >= 8)
        {
            var name = PickName(document);
            if (name is not null)
            {
                document.Insert(_random.Next(document.Count + 1), name, RandomValue(depth));
                description.Append(" add '").Append(name).Append('\'');
            }

            return;
        }

        var position = _random.Next(document.Count);
        var target = document[position];
        var isDatabase = isBody && target.Name == CommandMessage.DatabaseField;
        switch (choice)
        {
            case 0 or 1 or 2 or 3:
                var value = RandomValue(depth);
                if (isDatabase && value is BsonString)
                {
                    value = BsonInt32.Create(1);
                }

                document.Set(target.Name, value);
                description.Append(" set '").Append(target.Name).Append("'=").Append(value.Type);
                break;
            case 4:
                document.Set(target.Name, Extreme());
                description.Append(" extreme '").Append(target.Name).Append('\'');
                break;
            case 5:
                document.Remove(target.Name);
                description.Append(" remove '").Append(target.Name).Append('\'');
                break;
            case 6 when !isDatabase:
                var renamed = PickName(document);
                if (renamed is not null)
                {
                    document.Remove(target.Name);
                    document.Insert(position, renamed, target.Value);
                    description.Append(" rename '").Append(target.Name).Append("'->'").Append(renamed).Append('\'');
                }

                break;
            default:
                if (!isDatabase)
                {
                    BsonValue wrapped = _random.Next(2) == 0 ? new BsonArray([target.Value]) : new BsonDocument(PickName([]) ?? "a", target.Value);
                    document.Set(target.Name, wrapped);
                    description.Append(" wrap '").Append(target.Name).Append('\'');
                }

                break;
        }
    }

    private string? PickName(BsonDocument document)
    {
        var name = Names[_random.Next(Names.Length)];
        return document.Contains(name) ? null : name;
    }

    private BsonValue RandomValue(int depth)
    {
        switch (_random.Next(depth > 4 ? 14 : 17))
        {
            case 0: return BsonInt32.Create(_random.Next(-3, 20));
            case 1: return new BsonInt64(_random.NextInt64(-1000, 1000));
            case 2: return new BsonDouble(_random.NextDouble() * 100 - 50);
            case 3: return new BsonString(Strings[_random.Next(Strings.Length)]);
            case 4: return BsonBoolean.Create(_random.Next(2) == 0);
            case 5: return BsonNull.Value;
            case 6:
                var oid = new byte[12];
                _random.NextBytes(oid);
                return new BsonObjectId(new ObjectId(oid));
            case 7: return new BsonDateTime(_random.NextInt64(-100_000_000_000_000, 100_000_000_000_000));
            case 8: return new BsonDecimal128(Decimal128.Parse(_random.Next(-1000, 1000) + ".5"));
            case 9: return new BsonBinaryData([(byte)_random.Next(256)], (BsonBinarySubtype)_random.Next(0, 9));
            case 10: return new BsonRegularExpression(Strings[_random.Next(Strings.Length)].Replace("\0", string.Empty, StringComparison.Ordinal), _random.Next(2) == 0 ? "i" : "msx");
            case 11: return _random.Next(2) == 0 ? BsonMinKey.Value : BsonMaxKey.Value;
            case 12: return new BsonTimestamp((uint)_random.Next(), (uint)_random.Next());
            case 13: return Extreme();
            case 14: return new BsonDocument();
            case 15:
                var document = new BsonDocument();
                for (var i = _random.Next(1, 4); i > 0; i--)
                {
                    if (PickName(document) is { } name)
                    {
                        document.Add(name, RandomValue(depth + 1));
                    }
                }

                return document;
            default:
                var array = new BsonArray();
                for (var i = _random.Next(0, 4); i > 0; i--)
                {
                    array.Add(RandomValue(depth + 1));
                }

                return array;
        }
    }

    private BsonValue Extreme() => _random.Next(14) switch
    {
        0 => BsonInt32.Create(int.MinValue),
        1 => BsonInt32.Create(int.MaxValue),
        2 => new BsonInt64(long.MinValue),
        3 => new BsonInt64(long.MaxValue),
        4 => new BsonDouble(double.NaN),
        5 => new BsonDouble(double.PositiveInfinity),
        6 => new BsonDouble(double.NegativeInfinity),
        7 => new BsonDouble(-0.0),
        8 => new BsonDouble(1e308),
        9 => new BsonDecimal128(Decimal128.Parse("NaN")),
        10 => new BsonDecimal128(Decimal128.Parse("-Infinity")),
        11 => new BsonDecimal128(Decimal128.Parse("9.999999999999999999999999999999999E+6144")),
        12 => new BsonString(new string('x', 2000)),
        _ => BsonInt32.Create(-1),
    };
}
