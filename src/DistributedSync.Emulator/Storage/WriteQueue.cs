using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace DistributedSync.Emulator.Storage;

/// <summary>
/// The single writer. Requests queue in a channel; the writer thread takes every request that is
/// waiting (up to <see cref="StorageOptions.MaxGroupCommit"/>), runs each inside its own
/// SAVEPOINT of one transaction, commits once, and only then completes the requests. A request
/// that throws is rolled back to its savepoint alone; a failed COMMIT fails the whole group and
/// nothing of it becomes visible. A request alone in its group runs without a savepoint: its
/// failure rolls back the transaction, which holds nothing else.
/// </summary>
internal sealed class WriteQueue : IDisposable
{
    private readonly StorageEngine _engine;
    private readonly SqliteConnection _connection;
    private readonly StorageOptions _options;
    private readonly Channel<IWorkItem> _channel = Channel.CreateUnbounded<IWorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private readonly StatementCache _statements;

    public WriteQueue(StorageEngine engine, SqliteConnection connection, StorageOptions options)
    {
        _engine = engine;
        _connection = connection;
        _options = options;
        _statements = new StatementCache(connection);
        _thread = new Thread(Run) { IsBackground = true, Name = "storage-writer" };
        _thread.Start();
    }

    private interface IWorkItem
    {
        bool Durable { get; }

        CancellationToken CancellationToken { get; }

        void Execute(WriteContext context);

        void Complete();

        void Fail(Exception error);
    }

    public Task<T> Enqueue<T>(Func<WriteContext, T> work, bool durable, CancellationToken cancellationToken)
    {
        var item = new WorkItem<T>(work, durable, cancellationToken);
        if (!_channel.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(StorageEngine), "The storage engine has been shut down.");
        }

        return item.Task;
    }

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _statements.Dispose();
        _connection.Dispose();
    }

    private void Run()
    {
        var batch = new List<IWorkItem>(_options.MaxGroupCommit);
        var reader = _channel.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < _options.MaxGroupCommit && reader.TryRead(out var item))
            {
                if (item.CancellationToken.IsCancellationRequested)
                {
                    item.Fail(new OperationCanceledException(item.CancellationToken));
                    continue;
                }

                batch.Add(item);
            }

            if (batch.Count > 0)
            {
                RunBatch(batch);
            }
        }
    }

    private void RunBatch(List<IWorkItem> batch)
    {
        if (batch.Count == 1)
        {
            RunAlone(batch[0]);
            return;
        }

        var durable = _options.SyncEveryCommit || batch.Exists(i => i.Durable);
        var outcomes = new Exception?[batch.Count];
        var context = new WriteContext(_connection, _statements, _engine.State);
        try
        {
            if (durable)
            {
                StorageEngine.Execute(_connection, "PRAGMA synchronous=FULL;");
            }

            StorageEngine.Execute(_connection, "BEGIN IMMEDIATE;");
            for (var i = 0; i < batch.Count; i++)
            {
                StorageEngine.Execute(_connection, "SAVEPOINT item;");
                context.BeginItem();
                try
                {
                    batch[i].Execute(context);
                    StorageEngine.Execute(_connection, "RELEASE item;");
                }
#pragma warning disable CA1031 // The item's own failure is handed to its caller.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    StorageEngine.Execute(_connection, "ROLLBACK TO item; RELEASE item;");
                    context.RollbackItem();
                    outcomes[i] = ex;
                }
            }

            _engine.CommitAndPublish(_connection, context.State);
        }
#pragma warning disable CA1031 // A failed transaction fails every request of the group.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TryRollback();
            foreach (var item in batch)
            {
                item.Fail(new IOException("The storage transaction failed; the write was not applied: " + ex.Message, ex));
            }

            return;
        }
        finally
        {
            if (durable)
            {
                TryExecute("PRAGMA synchronous=NORMAL;");
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { } error)
            {
                batch[i].Fail(error);
            }
            else
            {
                batch[i].Complete();
            }
        }
    }

    // A request that is alone in its group needs no savepoint: the whole transaction is its own and
    // a failure rolls it all back. This spares SQLite the savepoint's in-memory undo journal (a
    // copy of every page the request changes), which a batch of large inserts pays in full.
    private void RunAlone(IWorkItem item)
    {
        var durable = _options.SyncEveryCommit || item.Durable;
        var context = new WriteContext(_connection, _statements, _engine.State);
        Exception? outcome = null;
        try
        {
            if (durable)
            {
                StorageEngine.Execute(_connection, "PRAGMA synchronous=FULL;");
            }

            StorageEngine.Execute(_connection, "BEGIN IMMEDIATE;");
            try
            {
                item.Execute(context);
            }
#pragma warning disable CA1031 // The item's own failure is handed to its caller.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                outcome = ex;
            }

            if (outcome is null)
            {
                _engine.CommitAndPublish(_connection, context.State);
            }
            else
            {
                StorageEngine.Execute(_connection, "ROLLBACK;");
            }
        }
#pragma warning disable CA1031 // A failed transaction fails the request.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TryRollback();
            item.Fail(new IOException("The storage transaction failed; the write was not applied: " + ex.Message, ex));
            return;
        }
        finally
        {
            if (durable)
            {
                TryExecute("PRAGMA synchronous=NORMAL;");
            }
        }

        if (outcome is null)
        {
            item.Complete();
        }
        else
        {
            item.Fail(outcome);
        }
    }

    private void TryRollback() => TryExecute("ROLLBACK;");

    private void TryExecute(string sql)
    {
        try
        {
            StorageEngine.Execute(_connection, sql);
        }
        catch (SqliteException)
        {
            // No transaction is open (the failure happened before BEGIN or at COMMIT).
        }
    }

    private sealed class WorkItem<T>(Func<WriteContext, T> work, bool durable, CancellationToken cancellationToken) : IWorkItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public bool Durable => durable;

        public CancellationToken CancellationToken => cancellationToken;

        public void Execute(WriteContext context) => _result = work(context);

        public void Complete() => _completion.TrySetResult(_result!);

        public void Fail(Exception error) => _completion.TrySetException(error);
    }
}
