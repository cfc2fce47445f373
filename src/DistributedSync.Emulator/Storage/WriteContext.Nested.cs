namespace DistributedSync.Emulator.Storage;

public sealed partial class WriteContext
{
    private int _nestedDepth;

    /// <summary>
    /// Runs <paramref name="action"/> inside a nested savepoint of the current request: when it
    /// throws, only its own changes (rows and counters) are undone and the exception is rethrown,
    /// while the request's earlier changes stay. Used by write commands for per-statement
    /// atomicity, e.g. one document of a batch insert that fails on a unique secondary index
    /// after its row was written.
    /// </summary>
    public T Atomically<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var name = "stmt" + _nestedDepth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var saved = _state;
        StorageEngine.Execute(_connection, "SAVEPOINT " + name + ";");
        _nestedDepth++;
        try
        {
            var result = action();
            StorageEngine.Execute(_connection, "RELEASE " + name + ";");
            return result;
        }
        catch
        {
            StorageEngine.Execute(_connection, "ROLLBACK TO " + name + "; RELEASE " + name + ";");
            _state = saved;
            throw;
        }
        finally
        {
            _nestedDepth--;
        }
    }

    /// <summary>True when the collection has a unique secondary index, whose entries are written after the document row.</summary>
    public static bool HasSecondaryUniqueIndex(CollectionInfo collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return collection.Indexes.Exists(i => i.TableNumber != 0);
    }
}
