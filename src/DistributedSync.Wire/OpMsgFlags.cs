namespace DistributedSync.Wire;

/// <summary>
/// The <c>flagBits</c> of an OP_MSG. Bits 0-15 are required: a receiver must reject a message
/// with a required bit it does not know. Bits 16-31 are optional and ignored when unknown.
/// </summary>
[Flags]
#pragma warning disable CA1028, CA1711 // The wire format defines the field as uint32 flag bits.
public enum OpMsgFlags : uint
#pragma warning restore CA1028, CA1711
{
    /// <summary>No flag set.</summary>
    None = 0,

    /// <summary>Bit 0: the message ends with a 4-byte CRC-32C of everything before it.</summary>
    ChecksumPresent = 1u << 0,

    /// <summary>Bit 1: another message follows without the receiver replying or asking.</summary>
    MoreToCome = 1u << 1,

    /// <summary>Bit 16: the requester accepts several replies to this request (exhaust cursors).</summary>
    ExhaustAllowed = 1u << 16,
}

/// <summary>Helpers for classifying <see cref="OpMsgFlags"/> bits.</summary>
public static class OpMsgFlagBits
{
    /// <summary>The required bits (0-15): unknown ones must be rejected.</summary>
    public const uint RequiredMask = 0x0000_FFFFu;

    /// <summary>The required bits this library knows.</summary>
    public const uint KnownRequired = (uint)(OpMsgFlags.ChecksumPresent | OpMsgFlags.MoreToCome);

    /// <summary>The required bits of <paramref name="flags"/> that are not known (zero when acceptable).</summary>
    public static uint UnknownRequiredBits(OpMsgFlags flags) => (uint)flags & RequiredMask & ~KnownRequired;
}
