namespace ModelRunner.Engine.Inference;

/// <summary>Which free sequence a request should take.</summary>
internal static class SlotChoice
{
    /// <summary>
    /// The free sequence that saves the most work: the one holding this conversation, else the
    /// one sharing the longest prefix with the prompt, else an empty one, else the least
    /// recently used (anonymous content before a named conversation's).
    /// </summary>
    public static Slot Best(IEnumerable<Slot> slots, ActiveRequest request, SavedSequences saved)
    {
        var free = slots.Where(slot => slot.IsFree).ToList();
        var key = request.Request.CacheKey;
        if (key is not null && free.FirstOrDefault(slot => slot.Key == key) is { } own)
        {
            return own;
        }

        if (key is null || !saved.Contains(key))
        {
            var (best, common) = free
                .Select(slot => (Slot: slot, Common: slot.CommonPrefix(request.Prompt)))
                .OrderByDescending(candidate => candidate.Common)
                .ThenBy(candidate => candidate.Slot.Key is null ? 0 : 1)
                .ThenBy(candidate => candidate.Slot.LastUsed)
                .First();
            if (common > 0)
            {
                return best;
            }
        }

        return free
            .OrderBy(slot => slot.Cached.Count == 0 ? 0 : 1)
            .ThenBy(slot => slot.Key is null ? 0 : 1)
            .ThenBy(slot => slot.LastUsed)
            .First();
    }
}
