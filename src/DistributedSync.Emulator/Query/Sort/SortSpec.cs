using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Sort;

/// <summary>
/// A compiled sort specification (<c>{a: 1, "b.c": -1}</c>). Each document's sort key is the
/// value at each path, with mongod's array rules: an ascending key is the smallest value the
/// path reaches (array elements included), a descending key the largest; a missing field sorts
/// as null and an empty array below null. <see cref="Comparer"/> compares documents by those
/// keys and returns 0 on ties (tie-breaking is the caller's business); <see cref="Sort"/>
/// computes each key once and sorts stably.
/// </summary>
internal sealed class SortSpec
{
    private readonly string[][] _paths;
    private readonly bool[] _descending;

    private SortSpec(string[][] paths, bool[] descending)
    {
        _paths = paths;
        _descending = descending;
        Comparer = Comparer<BsonDocument>.Create(CompareDocuments);
    }

    /// <summary>The number of sort keys (0 for an empty specification, which keeps the input order).</summary>
    public int KeyCount => _paths.Length;

    /// <summary>Compares two documents by their sort keys.</summary>
    public IComparer<BsonDocument> Comparer { get; }

    /// <summary>Parses a sort specification; values must be 1 or -1.</summary>
    public static SortSpec Compile(BsonDocument sort)
    {
        ArgumentNullException.ThrowIfNull(sort);
        var paths = new string[sort.Count][];
        var descending = new bool[sort.Count];
        for (var i = 0; i < sort.Count; i++)
        {
            var (name, value) = sort[i];
            if (value is BsonDocument meta && meta.Contains("$meta"))
            {
                throw QueryException.BadValue($"$meta sort by {BsonText.Value(meta)} is not supported");
            }

            if (!value.IsNumeric)
            {
                throw new QueryException(15974, $"Illegal key in $sort specification: {BsonText.Element(name, value)}");
            }

            var direction = value.ToDouble();
            if (direction is not (1 or -1))
            {
                throw new QueryException(15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)");
            }

            if (name.Length == 0)
            {
                throw new QueryException(40352, "FieldPath cannot be constructed with empty string");
            }

            paths[i] = PathSupport.Split(name);
            descending[i] = direction < 0;
        }

        return new SortSpec(paths, descending);
    }

    /// <summary>The sort key of a document: one value per sort field.</summary>
    public BsonValue[] ExtractKey(BsonDocument doc)
    {
        var key = new BsonValue[_paths.Length];
        var values = new List<BsonValue>();
        for (var i = 0; i < _paths.Length; i++)
        {
            values.Clear();
            SortKeyCollector.Collect(doc, _paths[i], 0, values);
            var best = values[0];
            for (var j = 1; j < values.Count; j++)
            {
                var c = BsonValueComparer.Instance.Compare(values[j], best);
                if (_descending[i] ? c > 0 : c < 0)
                {
                    best = values[j];
                }
            }

            key[i] = best;
        }

        return key;
    }

    /// <summary>Compares two keys made by <see cref="ExtractKey"/>.</summary>
    public int CompareKeys(BsonValue[] x, BsonValue[] y)
    {
        for (var i = 0; i < _paths.Length; i++)
        {
            var c = BsonValueComparer.Instance.Compare(x[i], y[i]);
            if (c != 0)
            {
                return _descending[i] ? -c : c;
            }
        }

        return 0;
    }

    /// <summary>Sorts stably (ties keep their input order), extracting each key once.</summary>
    public List<BsonDocument> Sort(IEnumerable<BsonDocument> documents)
    {
        var keyed = documents.Select((doc, index) => (Doc: doc, Key: ExtractKey(doc), Index: index)).ToList();
        keyed.Sort((a, b) =>
        {
            var c = CompareKeys(a.Key, b.Key);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        return keyed.ConvertAll(k => k.Doc);
    }

    private int CompareDocuments(BsonDocument? x, BsonDocument? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        return CompareKeys(ExtractKey(x), ExtractKey(y));
    }
}

/// <summary>Collects the values a sort path reaches (mongod's sort key generation).</summary>
internal static class SortKeyCollector
{
    /// <summary>
    /// Adds every value the path reaches: a missing field (or a scalar in the way) adds null,
    /// an array in the middle is expanded (or indexed, when the next component is an index it
    /// has), an array at the end adds its elements, or undefined when it is empty.
    /// </summary>
    public static void Collect(BsonValue? current, string[] path, int index, List<BsonValue> values)
    {
        for (var i = index; i < path.Length; i++)
        {
            switch (current)
            {
                case BsonDocument d:
                    current = d.TryGetValue(path[i], out var next) ? next : null;
                    break;
                case BsonArray a:
                    if (PathSupport.TryParseIndex(path[i], out var k) && k < a.Count)
                    {
                        current = a[k];
                        break;
                    }

                    if (a.Count == 0)
                    {
                        values.Add(BsonNull.Value);
                        return;
                    }

                    foreach (var element in a)
                    {
                        Collect(element, path, i, values);
                    }

                    return;
                default:
                    values.Add(BsonNull.Value);
                    return;
            }
        }

        switch (current)
        {
            case null:
                values.Add(BsonNull.Value);
                break;
            case BsonArray leaf when leaf.Count == 0:
                values.Add(BsonUndefined.Value);
                break;
            case BsonArray leaf:
                values.AddRange(leaf);
                break;
            default:
                values.Add(current);
                break;
        }
    }
}
