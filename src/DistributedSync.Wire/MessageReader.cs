using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;

namespace DistributedSync.Wire;

/// <summary>
/// A forward-only reader over one complete message that reports every problem as a
/// <see cref="WireProtocolException"/> with the offset measured from the message start.
/// </summary>
internal ref struct MessageReader
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly WireLimits _limits;

    public MessageReader(ReadOnlySpan<byte> message, WireLimits limits, int position)
    {
        _message = message;
        _limits = limits;
        Position = position;
        End = message.Length;
    }

    /// <summary>The offset of the next byte to read.</summary>
    public int Position { get; private set; }

    /// <summary>The offset where the readable content ends (before any checksum).</summary>
    public int End { get; set; }

    /// <summary>True while unread content remains before <see cref="End"/>.</summary>
    public readonly bool HasMore => Position < End;

    public byte ReadByte(string field)
    {
        Require(1, End, field);
        return _message[Position++];
    }

    public int ReadInt32(string field)
    {
        Require(4, End, field);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_message[Position..]);
        Position += 4;
        return value;
    }

    public long ReadInt64(string field)
    {
        Require(8, End, field);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_message[Position..]);
        Position += 8;
        return value;
    }

    /// <summary>Reads a NUL-terminated UTF-8 string that must end before <paramref name="limit"/>.</summary>
    public string ReadCString(string field, int limit)
    {
        var start = Position;
        var available = _message[start..limit];
        var nul = available.IndexOf((byte)0);
        if (nul < 0)
        {
            throw new WireProtocolException(limit, $"The {field} has no terminating NUL before the end of its enclosing structure.");
        }

        var bytes = available[..nul];
        if (!Utf8.IsValid(bytes))
        {
            throw new WireProtocolException(start, $"The {field} is not valid UTF-8.");
        }

        Position = start + nul + 1;
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Reads one BSON document that must end at or before <paramref name="limit"/>; BSON errors
    /// are rethrown with their offset translated into the message. <paramref name="what"/> names
    /// the document in error messages, followed by <paramref name="sequence"/> in quotes when given
    /// (composed only on failure).
    /// </summary>
    public BsonDocument ReadDocument(string what, int limit, string? sequence = null)
    {
        var start = Position;
        var length = CheckDocumentLength(what, limit, sequence);
        BsonDocument document;
        try
        {
            document = BsonCodec.Decode(_message.Slice(start, length), _limits.Documents);
        }
        catch (BsonFormatException e)
        {
            throw Error(start + e.Offset, what, sequence, $"is invalid BSON: {e.Reason}", e);
        }

        Position = start + length;
        return document;
    }

    /// <summary>
    /// Checks the declared length of the BSON document at <see cref="Position"/> as
    /// <see cref="ReadDocument"/> does and returns its bytes, without decoding them.
    /// </summary>
    public ReadOnlySpan<byte> SkipDocument(string what, int limit, string? sequence = null)
    {
        var start = Position;
        var length = CheckDocumentLength(what, limit, sequence);
        Position = start + length;
        return _message.Slice(start, length);
    }

    private readonly int CheckDocumentLength(string what, int limit, string? sequence)
    {
        var start = Position;
        if (limit - start < 4)
        {
            throw Error(start, what, sequence, "ends inside its length field.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(_message[start..]);
        if (length < 5)
        {
            throw Error(start, what, sequence, $"declares a length of {length}, below the 5-byte minimum.");
        }

        var maxSize = _limits.Documents.MaxDocumentSize;
        if (length > maxSize)
        {
            throw Error(start, what, sequence, $"declares a length of {length}, above the {maxSize}-byte limit.");
        }

        if (length > limit - start)
        {
            throw Error(start, what, sequence, $"declares a length of {length} but only {limit - start} bytes remain in its enclosing structure.");
        }

        return length;
    }

    /// <summary>The bytes between two offsets of the message.</summary>
    public readonly ReadOnlySpan<byte> Slice(int start, int end) => _message[start..end];

    /// <summary>The error for a document of a message, in the words of <see cref="ReadDocument"/>.</summary>
    internal static WireProtocolException Error(long offset, string what, string? sequence, string problem, Exception? inner = null)
    {
        var reason = sequence is null ? $"{what} {problem}" : $"{what} '{sequence}' {problem}";
        return inner is null ? new WireProtocolException(offset, reason) : new WireProtocolException(offset, reason, inner);
    }

    private readonly void Require(int count, int limit, string field)
    {
        if (limit - Position < count)
        {
            throw new WireProtocolException(Position, $"The message ends inside the {field}.");
        }
    }
}
