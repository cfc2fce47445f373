using System.Buffers.Binary;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>
/// Where the structural parts of valid BSON documents sit inside a message: length prefixes,
/// element type bytes, field-name terminators, string length prefixes and document terminators.
/// The mutator aims at these offsets to make "bad BSON inside a well-framed message".
/// </summary>
internal sealed class BsonLayout
{
    public List<int> DocumentLengths { get; } = [];

    public List<int> TypeBytes { get; } = [];

    public List<int> NameTerminators { get; } = [];

    /// <summary>Offsets of the int32 length of string, code and symbol values.</summary>
    public List<int> StringLengths { get; } = [];

    /// <summary>Offsets of the first byte of string values (after the length prefix).</summary>
    public List<int> StringStarts { get; } = [];

    public List<int> DocumentTerminators { get; } = [];

    /// <summary>Records the document starting at <paramref name="offset"/> (and the ones nested in it).</summary>
    /// <returns>The offset just past the document.</returns>
    public int AddDocument(byte[] bytes, int offset)
    {
        DocumentLengths.Add(offset);
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
        var end = offset + length;
        var position = offset + 4;
        while (position < end - 1)
        {
            var type = bytes[position];
            TypeBytes.Add(position);
            position++;
            var terminator = Array.IndexOf(bytes, (byte)0, position);
            NameTerminators.Add(terminator);
            position = terminator + 1;
            position = SkipValue(bytes, type, position);
        }

        DocumentTerminators.Add(end - 1);
        return end;
    }

    private int SkipValue(byte[] bytes, byte type, int position)
    {
        switch (type)
        {
            case 0x01 or 0x09 or 0x11 or 0x12:
                return position + 8;
            case 0x02 or 0x0D or 0x0E:
                StringLengths.Add(position);
                StringStarts.Add(position + 4);
                return position + 4 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
            case 0x03 or 0x04:
                return AddDocument(bytes, position);
            case 0x05:
                return position + 4 + 1 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
            case 0x06 or 0x0A or 0x7F or 0xFF:
                return position;
            case 0x07:
                return position + 12;
            case 0x08:
                return position + 1;
            case 0x0B:
                position = Array.IndexOf(bytes, (byte)0, position) + 1;
                return Array.IndexOf(bytes, (byte)0, position) + 1;
            case 0x0C:
                return position + 4 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position)) + 12;
            case 0x0F:
                return position + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
            case 0x10:
                return position + 4;
            case 0x13:
                return position + 16;
            default:
                throw new InvalidOperationException($"BsonLayout walks only valid BSON; found type 0x{type:X2} at {position - 1}.");
        }
    }
}
