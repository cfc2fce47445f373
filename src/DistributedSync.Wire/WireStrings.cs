namespace DistributedSync.Wire;

/// <summary>Validation of the strings written as C strings in message fields.</summary>
internal static class WireStrings
{
    /// <summary>Rejects strings a C string cannot carry: NUL characters and unpaired surrogates.</summary>
    /// <exception cref="ArgumentException">The string cannot be encoded.</exception>
    public static void ValidateCString(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The string cannot contain a NUL character.", paramName);
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw new ArgumentException($"The string has an unpaired surrogate at index {i}.", paramName);
            }
        }
    }
}
