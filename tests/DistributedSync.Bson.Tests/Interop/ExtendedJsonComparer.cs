using System.Globalization;
using System.Text.Json;

namespace DistributedSync.Bson.Tests.Interop;

/// <summary>
/// Compares two Extended JSON texts structurally: the same members in the same order with equal
/// values, ignoring whitespace and string escaping. Where the Extended JSON specification lets
/// writers differ, values are compared by meaning: <c>$numberDouble</c> by the double it denotes
/// (any round-tripping spelling is allowed), a <c>$binary</c> <c>subType</c> by its hex value
/// (one or two digits), and JSON numbers by value.
/// </summary>
internal static class ExtendedJsonComparer
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 1024 };

    /// <summary>Null when equal, otherwise the JSON path of the first difference and both values there.</summary>
    public static string? Difference(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected, Options);
        using var a = JsonDocument.Parse(actual, Options);
        return Compare(e.RootElement, a.RootElement, "$", null);
    }

    private static string? Compare(JsonElement e, JsonElement a, string path, string? member)
    {
        if (e.ValueKind != a.ValueKind)
        {
            return Mismatch(path, e, a);
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                return CompareObjects(e, a, path);
            case JsonValueKind.Array:
                {
                    if (e.GetArrayLength() != a.GetArrayLength())
                    {
                        return $"{path}: array of {e.GetArrayLength()} vs {a.GetArrayLength()} items\n  expected {Clip(e)}\n  actual   {Clip(a)}";
                    }

                    var i = 0;
                    foreach (var (x, y) in e.EnumerateArray().Zip(a.EnumerateArray()))
                    {
                        var d = Compare(x, y, $"{path}[{i++}]", null);
                        if (d is not null)
                        {
                            return d;
                        }
                    }

                    return null;
                }

            case JsonValueKind.String:
                {
                    var x = e.GetString()!;
                    var y = a.GetString()!;
                    var same = member switch
                    {
                        "$numberDouble" => SameDouble(x, y),
                        "subType" => SameHex(x, y),
                        _ => string.Equals(x, y, StringComparison.Ordinal),
                    };
                    return same ? null : Mismatch(path, e, a);
                }

            case JsonValueKind.Number:
                return e.GetRawText() == a.GetRawText()
                    || (e.TryGetDecimal(out var m) && a.TryGetDecimal(out var n) && m == n)
                    ? null
                    : Mismatch(path, e, a);
            default:
                return null; // true, false, null: the kinds are equal
        }
    }

    private static string? CompareObjects(JsonElement e, JsonElement a, string path)
    {
        var x = e.EnumerateObject().ToList();
        var y = a.EnumerateObject().ToList();
        for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
        {
            if (i >= x.Count || i >= y.Count || !string.Equals(x[i].Name, y[i].Name, StringComparison.Ordinal))
            {
                return $"{path}: member {i} is {(i < x.Count ? Quote(x[i].Name) : "absent")} in expected, "
                    + $"{(i < y.Count ? Quote(y[i].Name) : "absent")} in actual\n  expected {Clip(e)}\n  actual   {Clip(a)}";
            }

            var d = Compare(x[i].Value, y[i].Value, $"{path}.{Quote(x[i].Name)}", x[i].Name);
            if (d is not null)
            {
                return d;
            }
        }

        return null;
    }

    private static bool SameDouble(string x, string y)
    {
        if (string.Equals(x, y, StringComparison.Ordinal))
        {
            return true;
        }

        if (!double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
            || !double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var q))
        {
            return false;
        }

        return BitConverter.DoubleToInt64Bits(p) == BitConverter.DoubleToInt64Bits(q);
    }

    private static bool SameHex(string x, string y)
        => x.Length is 1 or 2 && y.Length is 1 or 2
        && int.TryParse(x, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var p)
        && int.TryParse(y, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var q)
        && p == q;

    private static string Mismatch(string path, JsonElement e, JsonElement a)
        => $"{path}: expected {Clip(e)}, actual {Clip(a)}";

    private static string Quote(string name) => JsonSerializer.Serialize(name);

    private static string Clip(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 300 ? text : text[..300] + "...";
    }
}
