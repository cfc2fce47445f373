using DistributedSync.Mongo.Connections;

namespace DistributedSync.Mongo.Pooling;

/// <summary>The pool's background work: pruning perished idle connections and keeping the minimum size.</summary>
internal sealed partial class ConnectionPool
{
    private void StartMaintenance()
    {
        if (Interlocked.Exchange(ref _maintaining, 1) == 0)
        {
            _ = MaintainAsync();
        }
    }

    private async Task MaintainAsync()
    {
        try
        {
            PruneIdle();
            await FillToMinimumAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MongoException or ObjectDisposedException or OperationCanceledException or Authentication.MongoAuthenticationException)
        {
            // Background work reports nothing: the next checkout meets the same failure and reports it.
        }
        finally
        {
            Volatile.Write(ref _maintaining, 0);
        }
    }

    private void PruneIdle()
    {
        List<(MongoConnection Connection, string Reason)> perished = [];
        lock (_gate)
        {
            for (var node = _idle.Last; node is not null;)
            {
                var previous = node.Previous;
                if (PerishedReason(node.Value) is { } reason)
                {
                    _idle.Remove(node);
                    _total--;
                    perished.Add((node.Value, reason));
                }

                node = previous;
            }
        }

        foreach (var (connection, reason) in perished)
        {
            connection.Close(reason);
        }
    }

    private async Task FillToMinimumAsync()
    {
        var token = _disposeCts.Token;
        while (!token.IsCancellationRequested && TotalCount < _settings.MinPoolSize && _permits.TryAcquire())
        {
            MongoConnection connection;
            try
            {
                connection = await OpenAsync(token).ConfigureAwait(false);
            }
            catch
            {
                _permits.Release();
                throw;
            }

            CheckIn(connection);
        }
    }
}
