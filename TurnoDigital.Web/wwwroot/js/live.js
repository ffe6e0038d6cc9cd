// Public phone pages (/t, /fila) have no circuit: each [data-live-src] region follows its Server-Sent Events channel
// (PublicLiveFeed) and takes the fresh fragment it sends, or, when a ticket only moved up the line, writes the two numbers
// of a "pos" event into the card (inside its aria-live region, so a screen reader hears the change). EventSource
// reconnects by itself; if the channel is refused for good, the region polls the fragment (?once=1) and tries the channel again.
(() => {
    const pollMs = 30000;
    const followed = new Map(); // region → its EventSource

    function apply(region, html) {
        if (!html) return;
        const fresh = document.createElement('template');
        fresh.innerHTML = html;
        // Someone answering a question ("¿Seguro…?") keeps it, and the card's numbers still follow; the next change applies.
        if (region.querySelector('[role=alertdialog]')) {
            region.querySelectorAll('[data-live-field]').forEach(field => {
                const now = fresh.content.querySelector(`[data-live-field="${field.dataset.liveField}"]`);
                if (now) field.textContent = now.textContent;
            });
            return;
        }
        // A form the page put in the card stays as it is (with its antiforgery token).
        const kept = region.querySelector('[data-live-slot]'), slot = fresh.content.querySelector('[data-live-slot]');
        if (kept && slot) slot.replaceWith(kept);
        region.replaceChildren(fresh.content);
    }

    // The same words as TicketStatusCard: "~N min", or its "very soon" text (on the element, in the page's language).
    function move(region, pos) {
        const ahead = region.querySelector('[data-live-field=ahead]'), wait = region.querySelector('[data-live-field=wait]');
        if (ahead) ahead.textContent = String(pos.ahead);
        if (wait) wait.textContent = pos.minutes === 0 ? wait.dataset.verySoon : `~${pos.minutes} min`;
    }

    function follow(region) {
        const src = region.dataset.liveSrc;
        let poll = null;
        const open = () => {
            const source = new EventSource(src);
            followed.set(region, source);
            source.onopen = () => { region.dataset.live = 'open'; };
            source.addEventListener('status', e => apply(region, e.data));
            source.addEventListener('pos', e => move(region, JSON.parse(e.data)));
            source.addEventListener('end', () => { source.close(); region.dataset.live = 'ended'; });
            source.onerror = () => {
                if (source.readyState !== EventSource.CLOSED || region.dataset.live === 'ended') { region.dataset.live = 'connecting'; return; }
                region.dataset.live = 'polling';
                poll ??= setInterval(async () => {
                    try {
                        const r = await fetch(src + '?once=1', { cache: 'no-store' });
                        if (r.status === 404) { clearInterval(poll); return; }
                        if (!r.ok) return;
                        apply(region, await r.text());
                        clearInterval(poll);
                        poll = null;
                        open();
                    } catch { /* still away */ }
                }, pollMs);
            };
        };
        open();
    }

    function scan() {
        for (const [region, source] of followed)
            if (!region.isConnected) { source.close(); followed.delete(region); }
        document.querySelectorAll('[data-live-src]').forEach(r => { if (r.dataset.liveSrc && !followed.has(r)) follow(r); });
    }

    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan); else scan();
    // Blazor's enhanced navigation swaps the page without loading it.
    window.Blazor?.addEventListener?.('enhancedload', scan);
})();
