using System.Buffers;
using System.Buffers.Binary;

namespace DistributedSync.Bson.IO;

/// <summary>
/// The BSON binary codec: bytes to <see cref="BsonDocument"/> and back. Decoding is strict: any
/// malformed input raises <see cref="BsonFormatException"/> with the byte offset of the problem,
/// and no length is trusted before it is checked against the bytes present. Encoding rejects
/// what BSON cannot represent (NUL in a field name or C string, unpaired surrogates) with an
/// <see cref="ArgumentException"/> naming the field, before anything is written.
/// </summary>
public static class BsonCodec
{
    /// <summary>Decodes exactly one document; the input must hold nothing else.</summary>
    /// <exception cref="BsonFormatException">The bytes are not one valid BSON document within the limits.</exception>
    public static BsonDocument Decode(ReadOnlySpan<byte> bytes, BsonReaderOptions? options = null)
        => BsonDecoder.Decode(bytes, options ?? BsonReaderOptions.Default);

    /// <summary>Decodes exactly one document from a possibly multi-segment sequence.</summary>
    /// <exception cref="BsonFormatException">The bytes are not one valid BSON document within the limits.</exception>
    public static BsonDocument Decode(ReadOnlySequence<byte> bytes, BsonReaderOptions? options = null)
    {
        if (bytes.IsSingleSegment)
        {
            return Decode(bytes.FirstSpan, options);
        }

        options ??= BsonReaderOptions.Default;
        Span<byte> prefix = stackalloc byte[4];
        var prefixLength = (int)Math.Min(4, bytes.Length);
        bytes.Slice(0, prefixLength).CopyTo(prefix);
        var length = BsonDecoder.CheckTopLevelLength(prefix[..prefixLength], bytes.Length, options);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.Slice(0, length).CopyTo(rented);
            var document = Decode(rented.AsSpan(0, length), options);
            if (bytes.Length > length)
            {
                throw new BsonFormatException(length, $"{bytes.Length - length} trailing byte(s) follow the document, whose declared length is {length}.");
            }

            return document;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Encodes <paramref name="document"/> straight into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">A field cannot be encoded; the message names it. Nothing was written.</exception>
    public static void Encode(BsonDocument document, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        BsonEncoder.Encode(document, output);
    }

    /// <summary>Encodes <paramref name="document"/> into a new array of exactly its size.</summary>
    /// <exception cref="ArgumentException">A field cannot be encoded; the message names it.</exception>
    public static byte[] ToBytes(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return BsonEncoder.ToBytes(document);
    }

    /// <summary>The number of bytes <see cref="Encode"/> would write (checks encodability too).</summary>
    /// <exception cref="ArgumentException">A field cannot be encoded; the message names it.</exception>
    public static int GetEncodedSize(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return BsonEncoder.GetEncodedSize(document);
    }

    /// <summary>
    /// Reads the declared length of the document that starts <paramref name="bytes"/> (e.g. to
    /// frame a stream). Returns false only when fewer than 4 bytes are present; the length
    /// returned is as declared and is not validated (see <see cref="IsPlausibleDocumentLength"/>).
    /// </summary>
    public static bool TryReadDocumentLength(ReadOnlySpan<byte> bytes, out int length)
    {
        if (bytes.Length < 4)
        {
            length = 0;
            return false;
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        return true;
    }

    /// <summary>True when a declared document length is at least 5 and within the limit of <paramref name="options"/>.</summary>
    public static bool IsPlausibleDocumentLength(int length, BsonReaderOptions? options = null)
        => length >= 5 && length <= (options ?? BsonReaderOptions.Default).MaxDocumentSize;
}
