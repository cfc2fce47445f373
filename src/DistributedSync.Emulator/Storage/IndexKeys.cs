using DistributedSync.Bson;

namespace DistributedSync.Emulator.Storage;

/// <summary>One index entry of a document: the key values in key-pattern order and their encoding.</summary>
internal readonly record struct IndexEntry(BsonValue[] Values, byte[] Key);

/// <summary>Computes the index entries of a document the way mongod does for uniqueness.</summary>
internal static class IndexKeys
{
    /// <summary>
    /// The distinct entries of <paramref name="document"/> in <paramref name="index"/>. A missing
    /// field is indexed as null (a sparse index leaves out documents missing every key field); an
    /// array yields one entry per element (an empty array is indexed as undefined); more than one
    /// array among the fields of a compound key is mongod's "cannot index parallel arrays" error.
    /// </summary>
    public static List<IndexEntry> Extract(BsonDocument document, IndexDefinition index)
    {
        var perField = new List<List<BsonValue>>(index.Key.Count);
        var arrays = 0;
        var missing = 0;
        foreach (var field in index.Key)
        {
            var values = new List<BsonValue>();
            var sawArray = Collect(document, field.Name.Split('.'), 0, values);
            if (values.Count == 0)
            {
                missing++;
                values.Add(BsonNull.Value);
            }

            if (sawArray)
            {
                arrays++;
            }

            perField.Add(values);
        }

        var entries = new List<IndexEntry>();
        if (index.Sparse && missing == index.Key.Count)
        {
            return entries;
        }

        if (arrays > 1)
        {
            throw new ServerErrorException(171, $"cannot index parallel arrays in index {index.Name}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = new BsonValue[perField.Count];
        Product(perField, 0, current, entries, seen);
        return entries;
    }

    private static void Product(List<List<BsonValue>> perField, int i, BsonValue[] current, List<IndexEntry> entries, HashSet<string> seen)
    {
        if (i == perField.Count)
        {
            var values = (BsonValue[])current.Clone();
            var key = IndexKeyEncoder.Encode(values);
            if (seen.Add(Convert.ToBase64String(key)))
            {
                entries.Add(new IndexEntry(values, key));
            }

            return;
        }

        foreach (var v in perField[i])
        {
            current[i] = v;
            Product(perField, i + 1, current, entries, seen);
        }
    }

    // Returns whether an array was expanded on the way.
    private static bool Collect(BsonValue current, string[] parts, int i, List<BsonValue> output)
    {
        if (i == parts.Length)
        {
            if (current is BsonArray leaf)
            {
                if (leaf.Count == 0)
                {
                    output.Add(BsonUndefined.Value);
                }
                else
                {
                    output.AddRange(leaf);
                }

                return true;
            }

            output.Add(current);
            return false;
        }

        switch (current)
        {
            case BsonDocument doc:
                return doc.TryGetValue(parts[i], out var child) && Collect(child, parts, i + 1, output);
            case BsonArray array:
                if (int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position)
                    && position < array.Count)
                {
                    Collect(array[position], parts, i + 1, output);
                    return true;
                }

                foreach (var element in array)
                {
                    if (element is BsonDocument)
                    {
                        Collect(element, parts, i, output);
                    }
                }

                return true;
            default:
                return false;
        }
    }
}
