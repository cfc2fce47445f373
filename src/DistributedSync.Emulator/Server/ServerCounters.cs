using DistributedSync.Bson;

namespace DistributedSync.Emulator.Server;

/// <summary>
/// The server's operation and network counters, reported by <c>serverStatus</c>. Thread-safe.
/// The dispatcher counts commands (<c>opcounters.command</c>), <c>find</c> (<c>query</c>) and
/// <c>getMore</c> (<c>getmore</c>); write handlers count their own documents and statements
/// with <see cref="RecordInsert"/>, <see cref="RecordUpdate"/> and <see cref="RecordDelete"/>,
/// as mongod counts one per inserted document and one per update/delete statement.
/// </summary>
public sealed class ServerCounters
{
    private long _insert;
    private long _query;
    private long _update;
    private long _delete;
    private long _getMore;
    private long _command;
    private long _bytesIn;
    private long _bytesOut;
    private long _requests;

    /// <summary>Counts inserted documents.</summary>
    public void RecordInsert(long documents = 1) => Interlocked.Add(ref _insert, documents);

    /// <summary>Counts update statements.</summary>
    public void RecordUpdate(long statements = 1) => Interlocked.Add(ref _update, statements);

    /// <summary>Counts delete statements.</summary>
    public void RecordDelete(long statements = 1) => Interlocked.Add(ref _delete, statements);

    /// <summary>Counts a query (<c>find</c>).</summary>
    public void RecordQuery() => Interlocked.Increment(ref _query);

    /// <summary>Counts a <c>getMore</c>.</summary>
    public void RecordGetMore() => Interlocked.Increment(ref _getMore);

    /// <summary>Counts a command other than the CRUD ones.</summary>
    public void RecordCommand() => Interlocked.Increment(ref _command);

    /// <summary>Counts a received message of <paramref name="bytes"/> bytes.</summary>
    public void RecordRequest(long bytes)
    {
        Interlocked.Add(ref _bytesIn, bytes);
        Interlocked.Increment(ref _requests);
    }

    /// <summary>Counts a sent message of <paramref name="bytes"/> bytes.</summary>
    public void RecordReply(long bytes) => Interlocked.Add(ref _bytesOut, bytes);

    /// <summary>The <c>opcounters</c> section of serverStatus.</summary>
    public BsonDocument OpCounters() => new()
    {
        { "insert", Interlocked.Read(ref _insert) },
        { "query", Interlocked.Read(ref _query) },
        { "update", Interlocked.Read(ref _update) },
        { "delete", Interlocked.Read(ref _delete) },
        { "getmore", Interlocked.Read(ref _getMore) },
        { "command", Interlocked.Read(ref _command) },
    };

    /// <summary>The <c>network</c> section of serverStatus.</summary>
    public BsonDocument Network() => new()
    {
        { "bytesIn", Interlocked.Read(ref _bytesIn) },
        { "bytesOut", Interlocked.Read(ref _bytesOut) },
        { "numRequests", Interlocked.Read(ref _requests) },
    };
}
