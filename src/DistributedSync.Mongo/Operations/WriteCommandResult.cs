using DistributedSync.Bson;

namespace DistributedSync.Mongo.Operations;

/// <summary>The merged outcome of every batch of one write command.</summary>
internal sealed class WriteCommandResult(bool acknowledged)
{
    private readonly List<WriteError> _writeErrors = [];
    private readonly List<WriteConcernError> _writeConcernErrors = [];
    private readonly List<(int Index, BsonValue Id)> _upserted = [];
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);

    /// <summary>False for <c>w: 0</c>: the counts mean nothing.</summary>
    public bool Acknowledged { get; } = acknowledged;

    /// <summary>The sum of the replies' <c>n</c> (inserted, matched or deleted).</summary>
    public long N { get; private set; }

    /// <summary>The sum of the replies' <c>nModified</c> (updates only).</summary>
    public long Modified { get; private set; }

    /// <summary>Upserted ids with the caller's statement index.</summary>
    public IReadOnlyList<(int Index, BsonValue Id)> Upserted => _upserted;

    /// <summary>Refused statements, indexes in the caller's list.</summary>
    public IReadOnlyList<WriteError> WriteErrors => _writeErrors;

    /// <summary>Write concern errors, one per batch that had one.</summary>
    public IReadOnlyList<WriteConcernError> WriteConcernErrors => _writeConcernErrors;

    /// <summary>Error labels of every reply.</summary>
    public IEnumerable<string> ErrorLabels => _labels;

    /// <summary>Statements never sent because an ordered write stopped.</summary>
    public int UnprocessedCount { get; set; }

    /// <summary>True when a statement was refused or a write concern failed.</summary>
    public bool HasErrors => _writeErrors.Count > 0 || _writeConcernErrors.Count > 0;

    /// <summary>Adds one batch's reply; returns the caller's index of its first write error, if any.</summary>
    public int? Merge(BsonDocument reply, int offset)
    {
        N += reply.GetValueOrDefault("n") is { IsNumeric: true } n ? n.ToInt64() : 0;
        Modified += reply.GetValueOrDefault("nModified") is { IsNumeric: true } m ? m.ToInt64() : 0;
        if (reply.GetValueOrDefault("upserted") is BsonArray upserted)
        {
            foreach (var entry in upserted.OfType<BsonDocument>())
            {
                var index = entry.GetValueOrDefault("index") is { IsNumeric: true } i ? (int)i.ToInt64() : 0;
                _upserted.Add((index + offset, entry.GetValueOrDefault("_id") ?? BsonNull.Value));
            }
        }

        foreach (var label in MongoCommandException.ReadLabels(reply))
        {
            _labels.Add(label);
        }

        if (reply.GetValueOrDefault("writeConcernError") is BsonDocument wce)
        {
            _writeConcernErrors.Add(WriteConcernError.Parse(wce));
            foreach (var label in MongoCommandException.ReadLabels(wce))
            {
                _labels.Add(label);
            }
        }

        int? first = null;
        if (reply.GetValueOrDefault("writeErrors") is BsonArray errors)
        {
            foreach (var error in errors.OfType<BsonDocument>())
            {
                var parsed = WriteError.Parse(error, offset);
                _writeErrors.Add(parsed);
                first = first is null ? parsed.Index : Math.Min(first.Value, parsed.Index);
            }
        }

        return first;
    }

    /// <summary>Throws the exception of a single-statement write when it had errors.</summary>
    public void ThrowIfSingleWriteFailed(string ns)
    {
        if (HasErrors)
        {
            throw new MongoWriteException(
                ns,
                _writeErrors.Count > 0 ? _writeErrors[0] : null,
                _writeConcernErrors.Count > 0 ? _writeConcernErrors[0] : null,
                _labels);
        }
    }

    /// <summary>Throws the exception of a multi-statement write when it had errors.</summary>
    public void ThrowIfBulkWriteFailed(string ns)
    {
        if (HasErrors)
        {
            throw new MongoBulkWriteException(
                ns,
                [.. _writeErrors.OrderBy(e => e.Index)],
                [.. _writeConcernErrors],
                N,
                UnprocessedCount,
                _labels);
        }
    }
}
