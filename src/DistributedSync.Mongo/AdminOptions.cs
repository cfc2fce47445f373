using DistributedSync.Bson;

namespace DistributedSync.Mongo;

/// <summary>Options of CreateCollection.</summary>
public sealed record CreateCollectionOptions
{
    /// <summary>Create a capped collection (requires <see cref="MaxSize"/>).</summary>
    public bool Capped { get; init; }

    /// <summary>A capped collection's size in bytes (<c>size</c>).</summary>
    public long? MaxSize { get; init; }

    /// <summary>A capped collection's maximum number of documents (<c>max</c>).</summary>
    public long? MaxDocuments { get; init; }

    /// <summary>A validator (query expression or <c>$jsonSchema</c>).</summary>
    public BsonDocument? Validator { get; init; }

    /// <summary>The default collation.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>Further fields passed to <c>create</c> as is.</summary>
    public BsonDocument? AdditionalFields { get; init; }

    /// <summary>The write concern; null uses the database's.</summary>
    public WriteConcern? WriteConcern { get; init; }
}

/// <summary>One index to create: its key pattern and options.</summary>
public sealed record CreateIndexModel
{
    /// <summary>Creates the model.</summary>
    /// <param name="keys">The key pattern, e.g. <c>{ts: 1}</c> or <c>{name: "text"}</c>.</param>
    public CreateIndexModel(BsonDocument keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("An index needs at least one key.", nameof(keys));
        }

        Keys = keys;
    }

    /// <summary>The key pattern.</summary>
    public BsonDocument Keys { get; }

    /// <summary>The index name; null generates one from the keys (<c>a_1_b_-1</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Refuse duplicate keys.</summary>
    public bool? Unique { get; init; }

    /// <summary>Index only documents that have the field.</summary>
    public bool? Sparse { get; init; }

    /// <summary>For TTL indexes: expire documents this long after the indexed date.</summary>
    public TimeSpan? ExpireAfter { get; init; }

    /// <summary>Index only documents matching this filter.</summary>
    public BsonDocument? PartialFilterExpression { get; init; }

    /// <summary>Create the index hidden from the query planner.</summary>
    public bool? Hidden { get; init; }

    /// <summary>Further index options passed as is.</summary>
    public BsonDocument? AdditionalOptions { get; init; }

    /// <summary>The index's name: <see cref="Name"/> or the one generated from the keys as drivers do.</summary>
    public string EffectiveName => Name ?? string.Join('_', Keys.Select(k => k.Name + "_" + KeyValueText(k.Value)));

    /// <summary>The index specification sent in <c>createIndexes</c>.</summary>
    public BsonDocument ToBsonDocument()
    {
        var spec = new BsonDocument { { "key", Keys }, { "name", EffectiveName } };
        if (Unique is bool unique)
        {
            spec.Add("unique", unique);
        }

        if (Sparse is bool sparse)
        {
            spec.Add("sparse", sparse);
        }

        if (ExpireAfter is { } ttl)
        {
            spec.Add("expireAfterSeconds", (long)ttl.TotalSeconds);
        }

        if (PartialFilterExpression is { } partial)
        {
            spec.Add("partialFilterExpression", partial);
        }

        if (Hidden is bool hidden)
        {
            spec.Add("hidden", hidden);
        }

        if (AdditionalOptions is { } more)
        {
            foreach (var option in more)
            {
                spec.Set(option.Name, option.Value);
            }
        }

        return spec;
    }

    private static string KeyValueText(BsonValue value) => value switch
    {
        BsonInt32 i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        BsonInt64 l => l.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        BsonDouble d when d.Value == Math.Truncate(d.Value) && Math.Abs(d.Value) < 1e15 => ((long)d.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
        BsonDouble d => d.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        BsonString s => s.Value,
        _ => value.ToString(),
    };
}
