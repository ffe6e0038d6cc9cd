// Screens stay open for weeks: keep retrying, reload when the server is back, show a discreet badge meanwhile.
(() => {
    let polling;
    const badge = () => document.getElementById('components-reconnect-modal');
    const show = on => { const b = badge(); if (b) b.hidden = !on; };
    function reloadWhenServerAnswers() {
        if (polling) return;
        polling = setInterval(async () => {
            try {
                const r = await fetch('/health/live', { cache: 'no-store' });
                if (r.ok) location.reload();
            } catch { /* still down */ }
        }, 2000);
    }
    document.addEventListener('DOMContentLoaded', () => {
        badge()?.addEventListener('components-reconnect-state-changed', e => {
            const state = e.detail.state;
            if (state === 'hide' || state === 'resumed') { show(false); return; }
            show(true);
            if (state === 'rejected' || state === 'resume-failed') location.reload();
            else if (state === 'failed' || state === 'paused') reloadWhenServerAnswers();
        });
    });
    Blazor.start({
        circuit: { reconnectionOptions: { maxRetries: 5, retryIntervalMilliseconds: 2000 } },
    }).then(() => {});
})();
