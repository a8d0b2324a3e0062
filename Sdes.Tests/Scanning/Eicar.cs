using System.Text;

namespace Sdes.Tests.Scanning;

/// <summary>The EICAR anti-virus test file, built at run time.</summary>
internal static class Eicar
{
    // Two halves, so no file in the repository holds the string that scanners flag.
    public static byte[] Bytes() => Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
}
