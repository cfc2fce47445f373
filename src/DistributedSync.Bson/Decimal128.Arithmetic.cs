namespace DistributedSync.Bson;

// PLACEHOLDER owned by the Decimal128 helper: replace with the real implementation.
public readonly partial struct Decimal128
{
    /// <summary>True for +0 or -0 with any exponent.</summary>
    public bool IsZero => throw new NotImplementedException();

    /// <summary>The nearest double.</summary>
    public double ToDouble() => throw new NotImplementedException();
}
