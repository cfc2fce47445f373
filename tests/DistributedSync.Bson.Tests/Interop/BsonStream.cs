using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DistributedSync.Bson.Tests.Interop;

/// <summary>Helpers for streams of concatenated BSON documents and for describing byte differences.</summary>
internal static class BsonStream
{
    /// <summary>Splits a stream of documents, each starting with its own int32 length.</summary>
    public static List<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> stream)
    {
        var documents = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        while (offset < stream.Length)
        {
            if (stream.Length - offset < 5)
            {
                throw new InvalidDataException($"{stream.Length - offset} trailing byte(s) at stream offset {offset}.");
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(stream.Span[offset..]);
            if (length < 5 || length > stream.Length - offset)
            {
                throw new InvalidDataException($"Document {documents.Count} at stream offset {offset} declares length {length}.");
            }

            documents.Add(stream.Slice(offset, length));
            offset += length;
        }

        return documents;
    }

    /// <summary>Concatenates documents into one stream.</summary>
    public static byte[] Join(IReadOnlyList<byte[]> documents)
    {
        var total = documents.Sum(d => d.Length);
        var stream = new byte[total];
        var offset = 0;
        foreach (var d in documents)
        {
            d.CopyTo(stream, offset);
            offset += d.Length;
        }

        return stream;
    }

    /// <summary>The offset of the first differing byte, or -1 when both are identical.</summary>
    public static int FirstDifference(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        var common = expected.CommonPrefixLength(actual);
        return common == expected.Length && common == actual.Length ? -1 : common;
    }

    /// <summary>Describes where two encodings of document <paramref name="index"/> part, with hex context.</summary>
    public static string DescribeDifference(int index, string expectedName, ReadOnlySpan<byte> expected, string actualName, ReadOnlySpan<byte> actual)
    {
        var at = FirstDifference(expected, actual);
        var from = Math.Max(0, at - 16);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"document {index}: bytes differ at offset 0x{at:X} ({at}); ")
            .Append(CultureInfo.InvariantCulture, $"{expectedName} has {expected.Length} bytes, {actualName} {actual.Length}\n")
            .Append(CultureInfo.InvariantCulture, $"  {expectedName,-8} @0x{from:X}: {Hex(expected, from, at)}\n")
            .Append(CultureInfo.InvariantCulture, $"  {actualName,-8} @0x{from:X}: {Hex(actual, from, at)}");
        return text.ToString();
    }

    /// <summary>Up to 48 bytes from <paramref name="from"/>, the differing byte bracketed.</summary>
    private static string Hex(ReadOnlySpan<byte> bytes, int from, int mark)
    {
        var text = new StringBuilder();
        var end = Math.Min(bytes.Length, from + 48);
        for (var i = from; i < end; i++)
        {
            text.Append(i == from ? string.Empty : " ")
                .Append(i == mark ? "[" : string.Empty)
                .Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture))
                .Append(i == mark ? "]" : string.Empty);
        }

        if (mark >= bytes.Length)
        {
            text.Append(" [end]");
        }

        return text.ToString();
    }
}
