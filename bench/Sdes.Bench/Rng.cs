namespace Sdes.Bench;

/// <summary>SplitMix64: small, fast and deterministic on every runtime, so that both providers get the same data and a
/// rerun regenerates exactly what a cached database holds. Not for anything security related.</summary>
internal struct Rng(ulong seed)
{
    private ulong _state = seed;

    public static Rng For(ulong stream, long index) => new(Mix(stream * 0x9E3779B97F4A7C15UL ^ (ulong)index));

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>0 &lt;= result &lt; max.</summary>
    public int Int(int max) => (int)(Next() % (ulong)max);

    public int Between(int min, int maxInclusive) => min + Int(maxInclusive - min + 1);

    public double Double() => (Next() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => Double() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(items.Count)];

    /// <summary>Index into a cumulative weight table (ascending, last element the total).</summary>
    public int Weighted(double[] cumulative)
    {
        var x = Double() * cumulative[^1];
        var i = Array.BinarySearch(cumulative, x);
        i = i < 0 ? ~i : i + 1;
        return Math.Min(i, cumulative.Length - 1);
    }

    public Guid Guid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Next());
        BitConverter.TryWriteBytes(bytes[8..], Next());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (little-endian field layout of System.Guid)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>A version 7 GUID for the given instant, like <see cref="System.Guid.CreateVersion7(DateTimeOffset)"/> but
    /// with the random part from this generator.</summary>
    public Guid Version7(long utcTicks)
    {
        var ms = (ulong)((utcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond);
        var a = Next();
        var b = Next();
        Span<byte> big = stackalloc byte[16];
        big[0] = (byte)(ms >> 40);
        big[1] = (byte)(ms >> 32);
        big[2] = (byte)(ms >> 24);
        big[3] = (byte)(ms >> 16);
        big[4] = (byte)(ms >> 8);
        big[5] = (byte)ms;
        big[6] = (byte)(0x70 | (int)(a & 0x0F));
        big[7] = (byte)(a >> 8);
        big[8] = (byte)(0x80 | (int)((a >> 16) & 0x3F));
        for (var i = 9; i < 16; i++)
        {
            big[i] = (byte)(b >> (8 * (i - 9)));
        }

        return new Guid(big, bigEndian: true);
    }

    public static ulong Hash(string text)
    {
        var h = 0xcbf29ce484222325UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 0x100000001b3UL;
        }

        return h;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
