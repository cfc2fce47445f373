using System.Text;

namespace DistributedSync.Bson;

/// <summary>Order of documents, arrays and the other composite or byte-string types.</summary>
public sealed partial class BsonValueComparer
{
    /// <summary>
    /// Field by field: canonical type rank, then field name (UTF-8 bytes), then value; a
    /// document that is a prefix of the other is smaller.
    /// </summary>
    private static int CompareDocuments(BsonDocument x, BsonDocument y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        var count = Math.Min(x.Count, y.Count);
        for (var i = 0; i < count; i++)
        {
            var a = x[i];
            var b = y[i];
            var aRank = CanonicalTypeOrder(a.Value.Type);
            var bRank = CanonicalTypeOrder(b.Value.Type);
            if (aRank != bRank)
            {
                return aRank < bRank ? -1 : 1;
            }

            var c = CompareUtf8(a.Name, b.Name);
            if (c != 0)
            {
                return c;
            }

            c = CompareValues(a.Value, b.Value);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Count == y.Count ? 0 : (x.Count < y.Count ? -1 : 1);
    }

    /// <summary>Element by element (the keys "0", "1", ... are equal position by position); a prefix is smaller.</summary>
    private static int CompareArrays(BsonArray x, BsonArray y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        var count = Math.Min(x.Count, y.Count);
        for (var i = 0; i < count; i++)
        {
            var c = CompareValues(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Count == y.Count ? 0 : (x.Count < y.Count ? -1 : 1);
    }

    /// <summary>By payload length, then subtype, then payload bytes (unsigned).</summary>
    private static int CompareBinary(BsonBinaryData x, BsonBinaryData y)
    {
        var xBytes = x.Bytes.Span;
        var yBytes = y.Bytes.Span;
        if (xBytes.Length != yBytes.Length)
        {
            return xBytes.Length < yBytes.Length ? -1 : 1;
        }

        if (x.Subtype != y.Subtype)
        {
            return (byte)x.Subtype < (byte)y.Subtype ? -1 : 1;
        }

        return Sign(xBytes.SequenceCompareTo(yBytes));
    }

    /// <summary>By pattern, then by option letters (both as C strings, bytewise).</summary>
    private static int CompareRegex(BsonRegularExpression x, BsonRegularExpression y)
    {
        var c = CompareUtf8(x.Pattern, y.Pattern);
        return c != 0 ? c : CompareUtf8(x.Options, y.Options);
    }

    /// <summary>
    /// As mongod: by the size of the value (so by the namespace's UTF-8 length), then bytewise
    /// (namespace bytes, then the ObjectId).
    /// </summary>
    private static int CompareDbPointers(BsonDbPointer x, BsonDbPointer y)
    {
        var xLength = Encoding.UTF8.GetByteCount(x.Namespace);
        var yLength = Encoding.UTF8.GetByteCount(y.Namespace);
        if (xLength != yLength)
        {
            return xLength < yLength ? -1 : 1;
        }

        var c = CompareUtf8(x.Namespace, y.Namespace);
        return c != 0 ? c : Sign(x.Id.CompareTo(y.Id));
    }

    /// <summary>By code (UTF-8 bytes), then by scope document.</summary>
    private static int CompareCodeWithScope(BsonJavaScriptWithScope x, BsonJavaScriptWithScope y)
    {
        var c = CompareUtf8(x.Code, y.Code);
        return c != 0 ? c : CompareDocuments(x.Scope, y.Scope);
    }
}
