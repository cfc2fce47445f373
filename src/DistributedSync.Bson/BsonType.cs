namespace DistributedSync.Bson;

/// <summary>The element type bytes of the BSON 1.1 specification.</summary>
public enum BsonType : byte
{
    /// <summary>64-bit IEEE 754 binary floating point.</summary>
    Double = 0x01,
    /// <summary>UTF-8 string.</summary>
    String = 0x02,
    /// <summary>Embedded document.</summary>
    Document = 0x03,
    /// <summary>Array (a document whose keys are "0", "1", ...).</summary>
    Array = 0x04,
    /// <summary>Binary data with a subtype.</summary>
    Binary = 0x05,
    /// <summary>Deprecated: undefined.</summary>
    Undefined = 0x06,
    /// <summary>12-byte ObjectId.</summary>
    ObjectId = 0x07,
    /// <summary>Boolean.</summary>
    Boolean = 0x08,
    /// <summary>UTC datetime, milliseconds since the Unix epoch.</summary>
    DateTime = 0x09,
    /// <summary>Null.</summary>
    Null = 0x0A,
    /// <summary>Regular expression (pattern and options).</summary>
    RegularExpression = 0x0B,
    /// <summary>Deprecated: DBPointer.</summary>
    DbPointer = 0x0C,
    /// <summary>JavaScript code.</summary>
    JavaScript = 0x0D,
    /// <summary>Deprecated: symbol.</summary>
    Symbol = 0x0E,
    /// <summary>Deprecated: JavaScript code with scope.</summary>
    JavaScriptWithScope = 0x0F,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 0x10,
    /// <summary>MongoDB internal timestamp (seconds, increment).</summary>
    Timestamp = 0x11,
    /// <summary>64-bit signed integer.</summary>
    Int64 = 0x12,
    /// <summary>128-bit IEEE 754-2008 decimal floating point (BID encoding).</summary>
    Decimal128 = 0x13,
    /// <summary>Minimum key: compares lower than every other value.</summary>
    MinKey = 0xFF,
    /// <summary>Maximum key: compares higher than every other value.</summary>
    MaxKey = 0x7F,
}
