using System.Globalization;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.Json;

namespace DistributedSync.Emulator.Server;

/// <summary>The severities of mongod's structured log (the <c>s</c> field).</summary>
public enum LogSeverity
{
    /// <summary><c>I</c>: informational.</summary>
    Info,

    /// <summary><c>W</c>: warning.</summary>
    Warning,

    /// <summary><c>E</c>: error.</summary>
    Error,

    /// <summary><c>F</c>: fatal.</summary>
    Fatal,

    /// <summary><c>D1</c>: debug.</summary>
    Debug,
}

/// <summary>
/// mongod's structured JSON log: one line per event,
/// <c>{"t":{"$date":...},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":...,"attr":{...}}</c>,
/// padded as mongod pads it. Lines go to a <see cref="TextWriter"/> (stdout or the
/// <c>--logpath</c> file) and into an in-memory ring of the most recent lines, which
/// <c>getLog</c> returns. Thread-safe.
/// </summary>
public sealed class ServerLog : IDisposable
{
    /// <summary>How many recent lines the <c>global</c> ring keeps (mongod keeps 1024).</summary>
    public const int RingCapacity = 1024;

    private readonly Lock _gate = new();
    private readonly TextWriter? _output;
    private readonly bool _ownsOutput;
    private readonly TimeProvider _time;
    private readonly Queue<string> _recent = new();
    private readonly List<string> _startupWarnings = [];
    private long _totalLines;

    /// <summary>Creates a log writing to <paramref name="output"/> (null: memory only).</summary>
    /// <param name="output">Where lines go; null keeps them only in memory.</param>
    /// <param name="time">The clock for timestamps.</param>
    /// <param name="quiet">mongod's <c>--quiet</c>: connection and authentication events are not logged.</param>
    /// <param name="ownsOutput">Whether <see cref="Dispose"/> disposes <paramref name="output"/>.</param>
    public ServerLog(TextWriter? output, TimeProvider? time = null, bool quiet = false, bool ownsOutput = false)
    {
        _output = output;
        _ownsOutput = ownsOutput;
        _time = time ?? TimeProvider.System;
        Quiet = quiet;
    }

    /// <summary>Raised (outside the lock) with every line written.</summary>
    public event Action<string>? LineWritten;

    /// <summary>True under <c>--quiet</c>: routine connection and authentication events are skipped.</summary>
    public bool Quiet { get; }

    /// <summary>How many lines have been written since start (getLog's <c>totalLinesWritten</c>).</summary>
    public long TotalLinesWritten => Interlocked.Read(ref _totalLines);

    /// <summary>Opens a log appending to <paramref name="path"/> (created with its folder if missing).</summary>
    public static ServerLog AppendToFile(string path, TimeProvider? time = null, bool quiet = false)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        return new ServerLog(writer, time, quiet, ownsOutput: true);
    }

    /// <summary>Writes an informational line.</summary>
    public void Info(string component, int id, string context, string message, BsonDocument? attributes = null)
        => Write(LogSeverity.Info, component, id, context, message, attributes);

    /// <summary>Writes a warning line.</summary>
    public void Warning(string component, int id, string context, string message, BsonDocument? attributes = null)
        => Write(LogSeverity.Warning, component, id, context, message, attributes);

    /// <summary>Writes an error line.</summary>
    public void Error(string component, int id, string context, string message, BsonDocument? attributes = null)
        => Write(LogSeverity.Error, component, id, context, message, attributes);

    /// <summary>Writes a warning that getLog also reports under <c>startupWarnings</c>.</summary>
    public void StartupWarning(string component, int id, string message, BsonDocument? attributes = null)
    {
        var line = Write(LogSeverity.Warning, component, id, "initandlisten", message, attributes);
        lock (_gate)
        {
            _startupWarnings.Add(line);
        }
    }

    /// <summary>The most recent lines (at most <see cref="RingCapacity"/>), oldest first.</summary>
    public IReadOnlyList<string> RecentLines()
    {
        lock (_gate)
        {
            return [.. _recent];
        }
    }

    /// <summary>The startup warnings, in order.</summary>
    public IReadOnlyList<string> StartupWarnings()
    {
        lock (_gate)
        {
            return [.. _startupWarnings];
        }
    }

    /// <summary>Writes one line and returns it.</summary>
    public string Write(LogSeverity severity, string component, int id, string context, string message, BsonDocument? attributes = null)
    {
        var line = Format(_time.GetUtcNow(), severity, component, id, context, message, attributes);
        lock (_gate)
        {
            _recent.Enqueue(line);
            if (_recent.Count > RingCapacity)
            {
                _recent.Dequeue();
            }

            _totalLines++;
            try
            {
                _output?.WriteLine(line);
            }
            catch (IOException)
            {
                // A closed stdout or a full disk must not take the server down.
            }
            catch (ObjectDisposedException)
            {
                // Written after shutdown closed the file.
            }
        }

        LineWritten?.Invoke(line);
        return line;
    }

    /// <summary>Formats a line exactly as <see cref="Write"/> does.</summary>
    public static string Format(DateTimeOffset time, LogSeverity severity, string component, int id, string context, string message, BsonDocument? attributes)
    {
        var builder = new StringBuilder(160);
        builder.Append("{\"t\":{\"$date\":\"")
            .Append(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture))
            .Append("+00:00\"},\"s\":\"");
        var s = severity switch
        {
            LogSeverity.Warning => "W",
            LogSeverity.Error => "E",
            LogSeverity.Fatal => "F",
            LogSeverity.Debug => "D1",
            _ => "I",
        };
        builder.Append(s).Append("\",").Append(' ', 1 + Math.Max(0, 2 - s.Length));
        builder.Append("\"c\":\"").Append(component).Append("\",").Append(' ', 1 + Math.Max(0, 8 - component.Length));
        var idText = id.ToString(CultureInfo.InvariantCulture);
        builder.Append("\"id\":").Append(idText).Append(',').Append(' ', 1 + Math.Max(0, 7 - idText.Length));
        builder.Append("\"ctx\":").Append(ExtendedJson.Write(new BsonString(context)));
        builder.Append(",\"msg\":").Append(ExtendedJson.Write(new BsonString(message)));
        if (attributes is { Count: > 0 })
        {
            builder.Append(",\"attr\":").Append(ExtendedJson.Write(attributes));
        }

        return builder.Append('}').ToString();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsOutput)
        {
            lock (_gate)
            {
                _output?.Dispose();
            }
        }
    }
}
