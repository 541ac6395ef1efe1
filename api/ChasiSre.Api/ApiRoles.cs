namespace ChasiSre.Api;

/// <summary>The roles a token can hold (<see cref="ApiTokenOptions.Roles"/>).</summary>
public static class ApiRoles
{
    /// <summary>Reads what its tenant scope allows; every token has it.</summary>
    public const string Viewer = "viewer";

    /// <summary>Also approves, rejects and rolls back the actions of its tenants.</summary>
    public const string Approver = "approver";

    /// <summary>Every role, in the order they grant more.</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Approver];

    /// <summary>Whether <paramref name="role"/> is a role (case-sensitive).</summary>
    public static bool IsKnown(string? role) => role is Viewer or Approver;
}
