using System.Buffers.Binary;

namespace DistributedSync.Bson.IO;

/// <summary>
/// A forward-only BSON writer that builds documents without a <see cref="BsonDocument"/>:
/// <c>WriteStartDocument</c>, then <c>WriteName</c> + a value for each field (array elements
/// are named automatically), then <c>WriteEndDocument</c>, which fills in the length reserved at
/// the start. Several top-level documents may be written one after the other (a document
/// sequence). Writes into a <see cref="PooledBufferWriter"/>. Not thread-safe.
/// </summary>
public sealed partial class BsonBinaryWriter : IDisposable
{
    private readonly PooledBufferWriter _output;
    private readonly bool _ownsOutput;
    private Frame[] _frames = new Frame[8];
    private int _depth;
    private string? _pendingName;

    /// <summary>Creates a writer over its own pooled buffer (returned on dispose).</summary>
    public BsonBinaryWriter()
        : this(new PooledBufferWriter(), ownsOutput: true)
    {
    }

    /// <summary>Creates a writer that appends to <paramref name="output"/> (not disposed by this writer).</summary>
    public BsonBinaryWriter(PooledBufferWriter output)
        : this(output ?? throw new ArgumentNullException(nameof(output)), ownsOutput: false)
    {
    }

    private BsonBinaryWriter(PooledBufferWriter output, bool ownsOutput)
    {
        _output = output;
        _ownsOutput = ownsOutput;
    }

    private enum FrameKind : byte
    {
        Document,
        Array,
    }

    /// <summary>The buffer written to.</summary>
    public PooledBufferWriter Output => _output;

    /// <summary>Everything written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _output.WrittenSpan;

    /// <summary>Everything written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _output.WrittenMemory;

    /// <summary>How many documents or arrays are open (0 between top-level documents).</summary>
    public int Depth => _depth;

    /// <summary>Starts a document: a top-level one at depth 0, otherwise the value of the pending name or next array element.</summary>
    public void WriteStartDocument()
    {
        if (_depth > 0)
        {
            BeginValue(BsonType.Document);
        }
        else if (_pendingName is not null)
        {
            throw new InvalidOperationException("A name was written outside any document.");
        }

        Push(FrameKind.Document);
    }

    /// <summary>Writes <paramref name="name"/> and starts a document as its value.</summary>
    public void WriteStartDocument(string name)
    {
        WriteName(name);
        WriteStartDocument();
    }

    /// <summary>Ends the innermost document and fills in its length.</summary>
    public void WriteEndDocument() => Pop(FrameKind.Document);

    /// <summary>Starts an array as the value of the pending name or next array element.</summary>
    public void WriteStartArray()
    {
        BeginValue(BsonType.Array);
        Push(FrameKind.Array);
    }

    /// <summary>Writes <paramref name="name"/> and starts an array as its value.</summary>
    public void WriteStartArray(string name)
    {
        WriteName(name);
        WriteStartArray();
    }

    /// <summary>Ends the innermost array and fills in its length.</summary>
    public void WriteEndArray() => Pop(FrameKind.Array);

    /// <summary>Sets the name of the next value; only inside a document.</summary>
    /// <exception cref="ArgumentException">The name contains NUL or an unpaired surrogate.</exception>
    public void WriteName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_depth == 0 || _frames[_depth - 1].Kind != FrameKind.Document)
        {
            throw new InvalidOperationException("Names can only be written inside a document (array elements are named automatically).");
        }

        if (_pendingName is not null)
        {
            throw new InvalidOperationException($"The name '{_pendingName}' has no value yet.");
        }

        CheckCString(name, name, "field name");
        _pendingName = name;
    }

    /// <summary>Forgets everything written (clears the output) so the writer can be reused.</summary>
    public void Reset()
    {
        _output.Clear();
        _depth = 0;
        _pendingName = null;
    }

    /// <summary>Disposes the output when this writer created it.</summary>
    public void Dispose()
    {
        if (_ownsOutput)
        {
            _output.Dispose();
        }
    }

    /// <summary>Writes the type byte and the element name for a value, or fails when no value is expected.</summary>
    private void BeginValue(BsonType type)
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("Only a document can be written at the top level; call WriteStartDocument first.");
        }

        ref var frame = ref _frames[_depth - 1];
        if (frame.Kind == FrameKind.Array)
        {
            var index = frame.Count++;
            var digits = BsonEncoder.DigitCount(index);
            var span = _output.GetSpan(digits + 2);
            span[0] = (byte)type;
            BsonEncoder.WriteDigits(span.Slice(1, digits), index);
            span[digits + 1] = 0;
            _output.Advance(digits + 2);
            return;
        }

        var name = _pendingName ?? throw new InvalidOperationException("Write a name (WriteName) before each value of a document.");
        _pendingName = null;
        frame.Count++;
        WriteByte((byte)type);
        WriteCStringUnchecked(name);
    }

    private void Push(FrameKind kind)
    {
        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        _frames[_depth++] = new Frame(_output.WrittenCount, kind);
        WriteInt32Raw(0);
    }

    private void Pop(FrameKind kind)
    {
        if (_depth == 0 || _frames[_depth - 1].Kind != kind)
        {
            throw new InvalidOperationException($"There is no open {(kind == FrameKind.Document ? "document" : "array")} to end.");
        }

        if (_pendingName is not null)
        {
            throw new InvalidOperationException($"The name '{_pendingName}' has no value.");
        }

        WriteByte(0);
        var start = _frames[--_depth].Start;
        var length = _output.WrittenCount - start;
        BinaryPrimitives.WriteInt32LittleEndian(_output.GetWrittenSpanToPatch(start, 4), length);
    }

    private struct Frame(int start, FrameKind kind)
    {
        public readonly int Start = start;
        public readonly FrameKind Kind = kind;
        public int Count;
    }
}
