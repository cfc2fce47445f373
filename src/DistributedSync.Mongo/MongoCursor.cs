using System.Runtime.CompilerServices;
using DistributedSync.Bson;
using DistributedSync.Mongo.Operations;

namespace DistributedSync.Mongo;

/// <summary>
/// A server-side cursor's results: the first batch came with the command that opened it, later
/// batches are fetched with <c>getMore</c> as they are consumed. Enumerate it once
/// (<c>await foreach</c>) or pull batches with <see cref="MoveNextBatchAsync"/>. Disposing it
/// (which the enumerator does when it ends, early or not) kills a cursor the server still holds.
/// A tailable cursor never ends by itself: stop it with the enumerator's cancellation token.
/// </summary>
public sealed class MongoCursor : IAsyncEnumerable<BsonDocument>, IAsyncDisposable
{
    private static readonly TimeSpan KillCursorsTimeout = TimeSpan.FromSeconds(10);
    private readonly OperationExecutor _executor;
    private readonly CursorOptions _options;
    private IReadOnlyList<BsonDocument>? _pendingFirstBatch;
    private int _returned;
    private int _enumerated;
    private int _disposed;

    internal MongoCursor(OperationExecutor executor, BsonDocument cursorReply, CursorOptions options)
    {
        _executor = executor;
        _options = options;
        var cursor = cursorReply.GetValueOrDefault("cursor") as BsonDocument
            ?? throw new MongoClientException("The server's reply has no cursor document.");
        Id = cursor.GetValueOrDefault("id") is { IsNumeric: true } id ? id.ToInt64() : 0;
        Namespace = cursor.GetValueOrDefault("ns") is BsonString ns ? ns.Value : options.FallbackNamespace;
        _pendingFirstBatch = ReadBatch(cursor, "firstBatch");
        CurrentBatch = [];
        PostBatchResumeToken = cursor.GetValueOrDefault("postBatchResumeToken") as BsonDocument;
    }

    /// <summary>The server's cursor id; 0 once the server has no more results for it.</summary>
    public long Id { get; private set; }

    /// <summary>The namespace the cursor reads (<c>db.collection</c>, or <c>db.$cmd.listCollections</c> and the like).</summary>
    public string Namespace { get; }

    /// <summary>The batch most recently returned by <see cref="MoveNextBatchAsync"/>.</summary>
    public IReadOnlyList<BsonDocument> CurrentBatch { get; private set; }

    /// <summary>The <c>postBatchResumeToken</c> of the latest batch, for change streams; otherwise null.</summary>
    public BsonDocument? PostBatchResumeToken { get; private set; }

    /// <summary>
    /// Advances to the next batch: first the one that came with the command, then one
    /// <c>getMore</c> per call. Returns false when the cursor is exhausted. A tailable cursor may
    /// return true with an empty batch (no new documents yet).
    /// </summary>
    public async Task<bool> MoveNextBatchAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_pendingFirstBatch is { } first)
        {
            _pendingFirstBatch = null;
            if (first.Count > 0 || Id != 0)
            {
                SetBatch(first);
                return true;
            }
        }

        if (Id == 0 || LimitReached)
        {
            CurrentBatch = [];
            return false;
        }

        var reply = await _executor.RunCommandAsync(DatabaseName, CreateGetMore(), null, cancellationToken).ConfigureAwait(false);
        var cursor = reply.GetValueOrDefault("cursor") as BsonDocument
            ?? throw new MongoClientException("The getMore reply has no cursor document.");
        Id = cursor.GetValueOrDefault("id") is { IsNumeric: true } id ? id.ToInt64() : 0;
        PostBatchResumeToken = cursor.GetValueOrDefault("postBatchResumeToken") as BsonDocument ?? PostBatchResumeToken;
        SetBatch(ReadBatch(cursor, "nextBatch"));
        return CurrentBatch.Count > 0 || Id != 0;
    }

    /// <summary>Enumerates every remaining document, then disposes the cursor. Only once per cursor.</summary>
    public async IAsyncEnumerator<BsonDocument> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A cursor can be enumerated only once.");
        }

        try
        {
            while (await MoveNextBatchAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var document in CurrentBatch)
                {
                    yield return document;
                }
            }
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads every remaining document into a list.</summary>
    public async Task<List<BsonDocument>> ToListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<BsonDocument>();
        await foreach (var document in WithCancellation(cancellationToken))
        {
            list.Add(document);
        }

        return list;
    }

    /// <summary>The first remaining document, or null; the cursor is disposed either way.</summary>
    public async Task<BsonDocument?> FirstOrDefaultAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var document in WithCancellation(cancellationToken))
        {
            return document;
        }

        return null;
    }

    /// <summary>
    /// Kills the server-side cursor when it is still open (best effort: failures are ignored, the
    /// server times idle cursors out anyway) and releases the cursor.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var id = Id;
        Id = 0;
        if (id == 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(KillCursorsTimeout);
        try
        {
            var command = new BsonDocument
            {
                { "killCursors", CollectionName },
                { "cursors", new BsonArray { id } },
            };
            await _executor.RunCommandAsync(DatabaseName, command, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MongoException or OperationCanceledException or ObjectDisposedException or Authentication.MongoAuthenticationException)
        {
            // Best effort: the server reaps abandoned cursors after its cursor timeout.
        }
    }

    private ConfiguredCancelableAsyncEnumerable<BsonDocument> WithCancellation(CancellationToken cancellationToken)
        => TaskAsyncEnumerableExtensions.WithCancellation(this, cancellationToken).ConfigureAwait(false);

    private string DatabaseName => Namespace[..Math.Max(0, Namespace.IndexOf('.', StringComparison.Ordinal))];

    private string CollectionName => Namespace[(Namespace.IndexOf('.', StringComparison.Ordinal) + 1)..];

    private bool LimitReached => _options.Limit > 0 && _returned >= _options.Limit;

    private BsonDocument CreateGetMore()
    {
        var command = new BsonDocument
        {
            { "getMore", Id },
            { "collection", CollectionName },
        };
        var batchSize = _options.BatchSize ?? 0;
        if (_options.Limit > 0)
        {
            var remaining = _options.Limit - _returned;
            batchSize = batchSize > 0 ? Math.Min(batchSize, remaining) : remaining;
        }

        if (batchSize > 0)
        {
            command.Add("batchSize", batchSize);
        }

        command.AddMilliseconds("maxTimeMS", _options.MaxAwaitTime);

        if (_options.Comment is { } comment)
        {
            command.Add("comment", comment);
        }

        return command;
    }

    private void SetBatch(IReadOnlyList<BsonDocument> batch)
    {
        CurrentBatch = batch;
        _returned += batch.Count;
    }

    private static BsonDocument[] ReadBatch(BsonDocument cursor, string field)
        => cursor.GetValueOrDefault(field) is BsonArray batch ? [.. batch.OfType<BsonDocument>()] : [];
}

/// <summary>How a cursor continues: what its getMore commands carry.</summary>
/// <param name="FallbackNamespace">The namespace to use when the reply names none.</param>
/// <param name="BatchSize">The getMore batch size, or null for the server's default.</param>
/// <param name="Limit">The total number of documents wanted (0 for no limit).</param>
/// <param name="MaxAwaitTime">For tailable awaitData cursors: how long a getMore waits for new data.</param>
/// <param name="Comment">The comment to attach to getMore commands.</param>
internal sealed record CursorOptions(string FallbackNamespace, int? BatchSize = null, int Limit = 0, TimeSpan? MaxAwaitTime = null, BsonValue? Comment = null);
