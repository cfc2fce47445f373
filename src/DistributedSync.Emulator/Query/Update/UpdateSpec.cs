using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Aggregation;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Query.Update;

/// <summary>
/// A compiled update: operators (<c>{$set: ..., $inc: ...}</c>), a replacement document (the
/// first field decides, as in mongod, and a later field of the other kind is an error), or an
/// aggregation pipeline (<see cref="CompilePipeline"/>). <see cref="Apply"/> changes a document in place and reports whether it changed (for
/// nModified); <see cref="CreateUpsertDocument"/> builds the document an upsert inserts.
/// When <see cref="Apply"/> throws, the document may be partly modified: apply to a copy.
/// </summary>
internal sealed class UpdateSpec
{
    private static readonly HashSet<string> PipelineStages = new(StringComparer.Ordinal)
    {
        "$addFields", "$set", "$project", "$unset", "$replaceRoot", "$replaceWith",
    };

    private readonly UpdateObjectNode? _root;
    private readonly BsonDocument? _replacement;
    private readonly Pipeline? _pipeline;

    private UpdateSpec(UpdateObjectNode? root, BsonDocument? replacement, Pipeline? pipeline = null)
    {
        _root = root;
        _replacement = replacement;
        _pipeline = pipeline;
    }

    /// <summary>True for a replacement document, false for an operator or pipeline update.</summary>
    public bool IsReplacement => _replacement is not null;

    /// <summary>True for a pipeline-style update.</summary>
    public bool IsPipeline => _pipeline is not null;

    /// <summary>
    /// Parses a pipeline-style update (an array of <c>$addFields</c>/<c>$set</c>,
    /// <c>$project</c>/<c>$unset</c> and <c>$replaceRoot</c>/<c>$replaceWith</c> stages). The
    /// result replaces the document, keeping its <c>_id</c>.
    /// </summary>
    public static UpdateSpec CompilePipeline(BsonArray pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        foreach (var stage in pipeline)
        {
            if (stage is BsonDocument { Count: 1 } spec && !PipelineStages.Contains(spec[0].Name))
            {
                throw new QueryException(QueryErrorCodes.InvalidOptions, $"{spec[0].Name} is not allowed to be used within an update");
            }
        }

        return new UpdateSpec(null, null, Pipeline.Compile(pipeline));
    }

    /// <summary>
    /// Parses an update. <paramref name="arrayFilters"/> are the update command's
    /// <c>arrayFilters</c> (for <c>$[identifier]</c>).
    /// </summary>
    public static UpdateSpec Compile(BsonDocument update, BsonArray? arrayFilters = null)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Count == 0 || !update[0].Name.StartsWith('$'))
        {
            if (arrayFilters is { Count: > 0 })
            {
                throw QueryException.FailedToParse("arrayFilters may not be specified for replacement-style updates");
            }

            foreach (var name in update.Names)
            {
                if (name.StartsWith('$'))
                {
                    throw new QueryException(QueryErrorCodes.DollarPrefixedFieldName,
                        $"The dollar ($) prefixed field '{name}' in '{name}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.");
                }
            }

            return new UpdateSpec(null, update);
        }

        var filters = ArrayFilterParser.Parse(arrayFilters);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var root = UpdateParser.Parse(update, filters, used);
        foreach (var identifier in filters.Keys)
        {
            if (!used.Contains(identifier))
            {
                throw QueryException.FailedToParse($"The array filter for identifier '{identifier}' was not used in the update {BsonText.Value(update)}");
            }
        }

        return new UpdateSpec(root, null);
    }

    /// <summary>Applies the update to <paramref name="document"/> in place; returns whether it changed.</summary>
    public bool Apply(BsonDocument document, UpdateContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        context ??= new UpdateContext();
        context.Document = document;
        if (_replacement is not null)
        {
            return Replace(document, _replacement);
        }

        if (_pipeline is not null)
        {
            return Replace(document, RunPipeline(document));
        }

        var changed = _root!.Apply(Slot.ForDocument(document), context);
        ValidateId(document);
        return changed;
    }

    /// <summary>
    /// The document an upsert inserts when nothing matched <paramref name="filter"/>: for
    /// operators, the filter's equality conditions (top level and inside <c>$and</c>) with the
    /// update applied in insert mode (so <c>$setOnInsert</c> applies); for a replacement, the
    /// replacement, with the filter's <c>_id</c> equality when it has none (a different <c>_id</c>
    /// in both is ImmutableField, as in mongod). <c>_id</c> is moved
    /// first; a document without <c>_id</c> is left for the caller to give one.
    /// </summary>
    public BsonDocument CreateUpsertDocument(BsonDocument filter, UpdateContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var matcher = FilterMatcher.Compile(filter);
        var equalities = UpsertSeed.Extract(matcher.Root);
        BsonDocument doc;
        if (_replacement is not null)
        {
            doc = [];
            if (equalities.FirstOrDefault(e => e.Path == "_id") is { Value: { } id })
            {
                doc.Add("_id", PathSupport.Clone(id));
            }

            Replace(doc, _replacement);
        }
        else if (_pipeline is not null)
        {
            doc = UpsertSeed.Build(equalities);
            Replace(doc, RunPipeline(doc));
        }
        else
        {
            doc = UpsertSeed.Build(equalities);
            var seededId = doc.GetValueOrDefault("_id");
            var insertContext = new UpdateContext
            {
                IsInsert = true,
                NowMilliseconds = context?.NowMilliseconds ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Timestamp = context?.Timestamp,
                Document = doc,
            };
            _root!.Apply(Slot.ForDocument(doc), insertContext);
            if (seededId is not null && !seededId.Equals(doc.GetValueOrDefault("_id")))
            {
                throw new QueryException(QueryErrorCodes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
            }
        }

        MoveIdFirst(doc);
        ValidateId(doc);
        return doc;
    }

    private BsonDocument RunPipeline(BsonDocument document)
    {
        var results = _pipeline!.Run([document]).ToList();
        return results.Count == 1 ? results[0] : throw QueryException.BadValue("An update pipeline must produce exactly one document");
    }

    private static bool Replace(BsonDocument document, BsonDocument replacement)
    {
        var result = new BsonDocument(replacement.Count + 1);
        var oldId = document.GetValueOrDefault("_id");
        var newId = replacement.GetValueOrDefault("_id");
        if (oldId is not null && newId is not null && BsonValueComparer.Instance.Compare(oldId, newId) != 0)
        {
            throw new QueryException(QueryErrorCodes.ImmutableField,
                $"After applying the update, the (immutable) field '_id' was found to have been altered to {BsonText.Element("_id", newId)}");
        }

        if ((newId ?? oldId) is { } id)
        {
            result.Add("_id", PathSupport.Clone(id));
        }

        foreach (var (name, value) in replacement)
        {
            if (name != "_id")
            {
                result.Add(name, PathSupport.Clone(value));
            }
        }

        ValidateId(result);
        if (result.Equals(document))
        {
            return false;
        }

        document.Clear();
        foreach (var (name, value) in result)
        {
            document.Add(name, value);
        }

        return true;
    }

    private static void MoveIdFirst(BsonDocument doc)
    {
        var index = doc.IndexOf("_id");
        if (index > 0)
        {
            var id = doc["_id"];
            doc.Remove("_id");
            doc.Insert(0, "_id", id);
        }
    }

    private static void ValidateId(BsonDocument doc)
    {
        if (doc.GetValueOrDefault("_id") is { Type: BsonType.Array or BsonType.RegularExpression or BsonType.Undefined } id)
        {
            throw new QueryException(QueryErrorCodes.InvalidIdField, $"The '_id' value cannot be of type {BsonText.TypeName(id.Type)}");
        }
    }
}
