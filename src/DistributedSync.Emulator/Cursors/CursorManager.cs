using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using DistributedSync.Bson;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Cursors;

/// <summary>
/// The open cursors of one server, like mongod's cursor manager: random positive 64-bit ids, an
/// idle timeout of 10 minutes (checked when a cursor is used and by a periodic sweep on the
/// server's clock; <c>noCursorTimeout</c> cursors are exempt), one operation at a time per
/// cursor, and the session and user checks of getMore. Cursors are not tied to a connection:
/// drivers may run getMore on any connection of their pool. Cursors of ended or killed sessions
/// are killed. Thread-safe.
/// </summary>
internal sealed class CursorManager : IDisposable
{
    /// <summary>mongod's default idle timeout (<c>cursorTimeoutMillis</c> = 600000).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How often idle cursors are swept.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<long, ServerCursor> _cursors = new();
    private readonly TimeProvider _time;
    private readonly ServerState? _server;
    private readonly ITimer _sweeper;

    /// <summary>Creates a manager on <paramref name="time"/>; with a <paramref name="server"/> it follows its session events.</summary>
    public CursorManager(TimeProvider time, ServerState? server = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _server = server;
        if (server is not null)
        {
            server.SessionsEnded += OnSessionsEnded;
        }

        _sweeper = time.CreateTimer(_ => SweepExpired(), null, SweepInterval, SweepInterval);
    }

    /// <summary>How many cursors are open.</summary>
    public int Count => _cursors.Count;

    /// <summary>The server's cursor manager, created on first use.</summary>
    public static CursorManager For(ServerState server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.GetOrAdd(s => new CursorManager(s.Time, s));
    }

    /// <summary>Registers a cursor (it is not pinned) and returns its new id.</summary>
    public long Register(ServerCursor cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        cursor.LastUsed = _time.GetTimestamp();
        while (true)
        {
            var id = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
            if (id != 0 && _cursors.TryAdd(id, cursor))
            {
                cursor.Id = id;
                return id;
            }
        }
    }

    /// <summary>
    /// Pins cursor <paramref name="id"/> for one operation after mongod's checks: it exists
    /// (CursorNotFound 43, also for a timed-out cursor), it belongs to <paramref name="ns"/>
    /// (Unauthorized 13), the session and user match (50736-50738, 13), and no other operation
    /// uses it (CursorInUse 292). Release it with <see cref="Release"/>.
    /// </summary>
    public ServerCursor Acquire(long id, string ns, CursorOwner caller)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(caller);
        if (!_cursors.TryGetValue(id, out var cursor) || (IsIdle(cursor) && Remove(cursor)))
        {
            throw NotFound(id);
        }

        if (!string.Equals(cursor.Namespace, ns, StringComparison.Ordinal))
        {
            throw new ServerErrorException(ErrorCodes.Unauthorized, $"Requested getMore on namespace '{ns}', but cursor belongs to a different namespace {cursor.Namespace}");
        }

        CheckOwner(cursor, caller);
        if (Interlocked.CompareExchange(ref cursor.Pinned, 1, 0) != 0)
        {
            throw new ServerErrorException(ErrorCodes.CursorInUse, $"cursor id {id.ToString(CultureInfo.InvariantCulture)} is already in use");
        }

        if (cursor.IsKilled)
        {
            Interlocked.Exchange(ref cursor.Pinned, 0);
            throw NotFound(id);
        }

        return cursor;
    }

    /// <summary>Unpins a cursor; closes it when <paramref name="close"/> (exhausted or failed), else restarts its idle clock.</summary>
    public void Release(ServerCursor cursor, bool close)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        cursor.LastUsed = _time.GetTimestamp();
        Interlocked.Exchange(ref cursor.Pinned, 0);
        if (close)
        {
            Remove(cursor);
        }
    }

    /// <summary>Kills cursor <paramref name="id"/> of namespace <paramref name="ns"/>; false when there is no such cursor.</summary>
    public bool Kill(long id, string ns)
    {
        if (_cursors.TryGetValue(id, out var cursor) && string.Equals(cursor.Namespace, ns, StringComparison.Ordinal))
        {
            return Remove(cursor);
        }

        return false;
    }

    /// <summary>Kills every cursor idle for longer than <see cref="IdleTimeout"/>; returns how many.</summary>
    public int SweepExpired()
    {
        var killed = 0;
        foreach (var cursor in _cursors.Values)
        {
            if (IsIdle(cursor) && Remove(cursor))
            {
                killed++;
            }
        }

        return killed;
    }

    /// <summary>Kills the cursors opened in the given sessions (their <c>lsid</c> documents).</summary>
    public int KillSessions(IEnumerable<BsonDocument> sessionIds)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var ids = sessionIds.Select(s => s.GetValueOrDefault("id")).OfType<BsonValue>().ToList();
        var killed = 0;
        foreach (var cursor in _cursors.Values)
        {
            if (cursor.Owner.SessionId is { } session && ids.Exists(i => i.Equals(session)) && Remove(cursor))
            {
                killed++;
            }
        }

        return killed;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sweeper.Dispose();
        if (_server is not null)
        {
            _server.SessionsEnded -= OnSessionsEnded;
        }

        foreach (var cursor in _cursors.Values)
        {
            Remove(cursor);
        }
    }

    /// <summary>mongod's CursorNotFound error.</summary>
    public static ServerErrorException NotFound(long id)
        => new(ErrorCodes.CursorNotFound, $"cursor id {id.ToString(CultureInfo.InvariantCulture)} not found");

    private static void CheckOwner(ServerCursor cursor, CursorOwner caller)
    {
        var id = cursor.Id.ToString(CultureInfo.InvariantCulture);
        var created = cursor.Owner.SessionId;
        var current = caller.SessionId;
        if (created is not null && current is null)
        {
            throw new ServerErrorException(50737, $"Cannot run getMore on cursor {id}, which was created in session {FormatSession(created, cursor.Owner.User)}, without an lsid");
        }

        if (created is not null && !created.Equals(current))
        {
            throw new ServerErrorException(50738, $"Cannot run getMore on cursor {id}, which was created in session {FormatSession(created, cursor.Owner.User)}, in session {FormatSession(current!, caller.User)}");
        }

        if (created is null && current is not null)
        {
            throw new ServerErrorException(50736, $"Cannot run getMore on cursor {id}, which was not created in a session, in session {FormatSession(current, caller.User)}");
        }

        if (!string.Equals(cursor.Owner.User, caller.User, StringComparison.Ordinal))
        {
            throw new ServerErrorException(ErrorCodes.Unauthorized, $"cursor id {id} was not created by the authenticated user");
        }
    }

    // mongod prints a logical session id as "<uuid> - <base64 SHA-256 of the user> -  - ".
    private static string FormatSession(BsonValue sessionId, string? user)
    {
        var uuid = sessionId is BsonBinaryData { Subtype: BsonBinarySubtype.Uuid } binary ? binary.ToGuid().ToString() : sessionId.ToString();
        var uid = Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user ?? string.Empty)));
        return uuid + " - " + uid + " -  - ";
    }

    private bool IsIdle(ServerCursor cursor)
        => !cursor.NoCursorTimeout && Volatile.Read(ref cursor.Pinned) == 0 && _time.GetElapsedTime(cursor.LastUsed) > IdleTimeout;

    private bool Remove(ServerCursor cursor)
    {
        if (!_cursors.TryRemove(new KeyValuePair<long, ServerCursor>(cursor.Id, cursor)))
        {
            return false;
        }

        cursor.Kill();
        return true;
    }

    private void OnSessionsEnded(IReadOnlyList<BsonDocument> sessionIds) => KillSessions(sessionIds);
}
