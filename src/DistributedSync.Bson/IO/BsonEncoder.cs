using System.Buffers;
using System.Text;

namespace DistributedSync.Bson.IO;

/// <summary>
/// Encodes values in two passes: the first computes every length (and rejects what BSON cannot
/// hold, before a byte is written), the second writes straight into the output.
/// </summary>
internal static partial class BsonEncoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes a whole document into <paramref name="output"/>.</summary>
    public static void Encode(BsonDocument document, IBufferWriter<byte> output)
    {
        var plan = EncodePlan.Rent();
        try
        {
            var size = PlanDocument(document, plan);
            var cursor = new BufferCursor(output, size);
            WriteDocument(ref cursor, document, plan);
            cursor.Flush();
        }
        finally
        {
            EncodePlan.Return(plan);
        }
    }

    /// <summary>Encodes a whole document into a new array of exactly its size.</summary>
    public static byte[] ToBytes(BsonDocument document)
    {
        var plan = EncodePlan.Rent();
        try
        {
            var size = PlanDocument(document, plan);
            var bytes = GC.AllocateUninitializedArray<byte>(size);
            var cursor = new BufferCursor(bytes);
            WriteDocument(ref cursor, document, plan);
            if (cursor.Pending != size || !plan.IsFullyConsumed)
            {
                throw new InvalidOperationException("The encoded size differs from the planned size (was the document changed while encoding?).");
            }

            return bytes;
        }
        finally
        {
            EncodePlan.Return(plan);
        }
    }

    /// <summary>The encoded size of a document, after checking that it can be encoded.</summary>
    public static int GetEncodedSize(BsonDocument document)
    {
        var plan = EncodePlan.Rent();
        try
        {
            return PlanDocument(document, plan);
        }
        finally
        {
            EncodePlan.Return(plan);
        }
    }

    /// <summary>Encodes the payload of one value (no type byte, no name), e.g. after a writer wrote the element header.</summary>
    public static void EncodeValue(BsonValue value, IBufferWriter<byte> output, int depth)
    {
        var plan = EncodePlan.Rent();
        try
        {
            long size;
            try
            {
                plan.SetBaseDepth(depth);
                size = SizeValue(value, plan, depth);
            }
            catch (EncodeFieldException e)
            {
                throw e.ToArgumentException(plan.CurrentPath(), nameof(value));
            }

            var cursor = new BufferCursor(output, size);
            WriteValue(ref cursor, value, plan);
            cursor.Flush();
        }
        finally
        {
            EncodePlan.Return(plan);
        }
    }

    /// <summary>Checks a C string for the encoder: no NUL, valid UTF-16. Returns its UTF-8 size with the terminator.</summary>
    internal static int CStringSize(string text, string what)
    {
        if (text.AsSpan().Contains('\0'))
        {
            throw new EncodeFieldException($"the {what} contains a NUL character, which a BSON C string cannot hold");
        }

        return Utf8Count(text, what) + 1;
    }

    /// <summary>The strict UTF-8 byte count of <paramref name="text"/>.</summary>
    internal static int Utf8Count(string text, string what)
    {
        try
        {
            return StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            throw new EncodeFieldException($"the {what} contains an unpaired UTF-16 surrogate, which UTF-8 cannot represent");
        }
    }

    private static int PlanDocument(BsonDocument document, EncodePlan plan)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            return SizeDocument(document, plan, 1);
        }
        catch (EncodeFieldException e)
        {
            throw e.ToArgumentException(plan.CurrentPath(), nameof(document));
        }
    }

    private static int SizeDocument(BsonDocument document, EncodePlan plan, int depth)
    {
        CheckDepth(depth);
        plan.EnsureDepth(depth);
        var slot = plan.Reserve();
        long size = 5;
        for (var i = 0; i < document.Count; i++)
        {
            var element = document[i];
            plan.AtField(depth, element.Name);
            size += 1 + CStringSize(element.Name, "field name") + SizeValue(element.Value, plan, depth);
        }

        return Finish(plan, slot, size, depth);
    }

    private static int SizeArray(BsonArray array, EncodePlan plan, int depth)
    {
        CheckDepth(depth);
        plan.EnsureDepth(depth);
        var slot = plan.Reserve();
        long size = 5;
        for (var i = 0; i < array.Count; i++)
        {
            plan.AtElement(depth, i);
            size += 1 + DigitCount(i) + 1 + SizeValue(array[i], plan, depth);
        }

        return Finish(plan, slot, size, depth);
    }

    private static long SizeValue(BsonValue value, EncodePlan plan, int depth)
    {
        switch (value.Type)
        {
            case BsonType.Double or BsonType.DateTime or BsonType.Int64 or BsonType.Timestamp:
                return 8;
            case BsonType.Int32:
                return 4;
            case BsonType.Boolean:
                return 1;
            case BsonType.ObjectId:
                return 12;
            case BsonType.Decimal128:
                return 16;
            case BsonType.Null or BsonType.Undefined or BsonType.MinKey or BsonType.MaxKey:
                return 0;
            case BsonType.String:
                return SizeString(((BsonString)value).Value, plan, "string");
            case BsonType.JavaScript:
                return SizeString(((BsonJavaScript)value).Code, plan, "JavaScript code");
            case BsonType.Symbol:
                return SizeString(((BsonSymbol)value).Name, plan, "symbol");
            case BsonType.Document:
                return SizeDocument((BsonDocument)value, plan, depth + 1);
            case BsonType.Array:
                return SizeArray((BsonArray)value, plan, depth + 1);
            case BsonType.Binary:
                var binary = (BsonBinaryData)value;
                return 5L + binary.Bytes.Length + (binary.Subtype == BsonBinarySubtype.BinaryOld ? 4 : 0);
            case BsonType.RegularExpression:
                var regex = (BsonRegularExpression)value;
                return (long)CStringSize(regex.Pattern, "regular expression pattern") + CStringSize(regex.Options, "regular expression options");
            case BsonType.DbPointer:
                return SizeString(((BsonDbPointer)value).Namespace, plan, "DBPointer namespace") + 12;
            case BsonType.JavaScriptWithScope:
                var code = (BsonJavaScriptWithScope)value;
                var slot = plan.Reserve();
                var total = 4 + SizeString(code.Code, plan, "JavaScript code") + SizeDocument(code.Scope, plan, depth + 1);
                return Finish(plan, slot, total, depth + 1);
            default:
                throw new EncodeFieldException($"the value has the unknown BSON type 0x{(byte)value.Type:X2}");
        }
    }

    private static long SizeString(string text, EncodePlan plan, string what)
    {
        var count = Utf8Count(text, what);
        plan.Add(count);
        return 4L + count + 1;
    }

    private static int Finish(EncodePlan plan, int slot, long size, int depth)
    {
        if (size > int.MaxValue)
        {
            plan.AtContainer(depth);
            throw new EncodeFieldException($"it would take {size} bytes, more than a BSON length can state");
        }

        plan.Set(slot, (int)size);
        return (int)size;
    }

    private static void CheckDepth(int depth)
    {
        if (depth > BsonReaderOptions.DepthCeiling)
        {
            throw new EncodeFieldException($"it nests deeper than {BsonReaderOptions.DepthCeiling} levels (does a document contain itself?)");
        }
    }

    internal static int DigitCount(int value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
