namespace DistributedSync.Bson.IO;

/// <summary>
/// Per-thread stack of decoded elements. A document's elements are gathered here and copied
/// into a <see cref="BsonDocument"/> or <see cref="BsonArray"/> of exactly the right capacity,
/// so containers never regrow while decoding. Nested containers push above their parent's
/// entries and pop back when done; popped slots are cleared so no decoded value is retained.
/// </summary>
internal sealed class DecodeScratch
{
    private const int InitialCapacity = 64;
    private const int RetainedCapacity = 4096;

    [ThreadStatic]
    private static DecodeScratch? t_instance;

    private BsonElement[] _items = new BsonElement[InitialCapacity];
    private int _count;

    /// <summary>This thread's instance, empty.</summary>
    public static DecodeScratch Acquire() => t_instance ??= new DecodeScratch();

    /// <summary>
    /// Called when a decode ends, successfully or not: drops entries a failed decode left behind
    /// (so no decoded value stays reachable) and a buffer grown by an unusually wide document.
    /// </summary>
    public void Reset()
    {
        if (_count > 0)
        {
            Array.Clear(_items, 0, _count);
            _count = 0;
        }

        if (_items.Length > RetainedCapacity)
        {
            _items = new BsonElement[InitialCapacity];
        }
    }

    /// <summary>The current top of the stack: a container remembers it as its base.</summary>
    public int Top => _count;

    /// <summary>Pushes an element.</summary>
    public void Push(string name, BsonValue value)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_count++] = new BsonElement(name, value);
    }

    /// <summary>Pops everything above <paramref name="start"/> into a new document.</summary>
    public BsonDocument PopDocument(int start)
    {
        var count = _count - start;
        var document = new BsonDocument(count);
        for (var i = start; i < _count; i++)
        {
            document.AppendUnchecked(_items[i].Name, _items[i].Value);
        }

        Release(start);
        return document;
    }

    /// <summary>Pops everything above <paramref name="start"/> into a new array.</summary>
    public BsonArray PopArray(int start)
    {
        var array = new BsonArray(_count - start);
        for (var i = start; i < _count; i++)
        {
            array.Add(_items[i].Value);
        }

        Release(start);
        return array;
    }

    private void Release(int start)
    {
        Array.Clear(_items, start, _count - start);
        _count = start;
    }
}
