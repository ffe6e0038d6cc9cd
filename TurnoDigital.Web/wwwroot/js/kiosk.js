// Kiosk audio mode: reads the screen's title, notes, messages and numbered choices in the screen's language.
// Only elements listed in SPEAK are read, so typed numbers and names (personal data) are never spoken.
window.kioskAudio = (() => {
    const SPEAK = '.kiosk-title, .kiosk-step-count, .kiosk-note, .kiosk-error, .kiosk-choice__name, .ticket__label, .ticket__number, .ticket__service, .ticket__pref, .ticket__facts dt, .ticket__facts dd';
    const PREFERRED = { es: ['es-CO', 'es-US', 'es-MX', 'es-ES'], en: ['en-US', 'en-GB'] };
    let on = false, lastText = '', observer = null, pending = null;

    const root = () => document.querySelector('.kiosk');
    const lang = () => (root()?.getAttribute('lang') || 'es').startsWith('en') ? 'en' : 'es';

    function screenText() {
        const el = root();
        if (!el) return '';
        // The time-out warning, when shown, is the whole screen.
        const scope = el.querySelector('.kiosk-timeout') || el;
        let choice = 0;
        const parts = [];
        for (const node of scope.querySelectorAll(SPEAK)) {
            if (node.closest('.kiosk-timeout') && scope === el) continue;
            const text = (node.dataset.say || node.textContent || '').trim();
            if (!text) continue;
            parts.push(node.classList.contains('kiosk-choice__name')
                ? (lang() === 'en' ? `Option ${++choice}: ${text}.` : `Opción ${++choice}: ${text}.`)
                : text.endsWith('.') || text.endsWith('?') || text.endsWith(':') ? text : text + '.');
        }
        return parts.join(' ');
    }

    function voiceFor(l) {
        if (!('speechSynthesis' in window)) return null;
        const voices = speechSynthesis.getVoices();
        for (const tag of PREFERRED[l]) {
            const v = voices.find(v => (v.lang || '').replace('_', '-').toLowerCase() === tag.toLowerCase());
            if (v) return v;
        }
        return voices.find(v => (v.lang || '').toLowerCase().startsWith(l)) || null;
    }

    function say(text) {
        if (!('speechSynthesis' in window) || !text) return;
        speechSynthesis.cancel(); // interrupt whatever was being read
        const u = new SpeechSynthesisUtterance(text);
        const l = lang(), v = voiceFor(l);
        if (v) { try { u.voice = v; } catch { } }
        u.lang = v?.lang || (l === 'en' ? 'en-US' : 'es-CO');
        u.rate = 0.9;
        speechSynthesis.speak(u);
        lastText = text;
    }

    function onScreenChange() {
        clearTimeout(pending);
        pending = setTimeout(() => { const t = screenText(); if (on && t !== lastText) say(t); }, 250);
    }

    function setOn(value) {
        on = value;
        document.body.classList.toggle('kiosk-audio-on', on);
        if (on && !observer && root()) {
            observer = new MutationObserver(onScreenChange);
            observer.observe(document.querySelector('.kiosk-shell') || document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['lang'] });
        }
    }

    document.addEventListener('keydown', e => {
        if (!root()) return;
        if (e.key === '*' || e.key === 'F1') { e.preventDefault(); kioskAudio.listen(); }
        else if (e.key === 'Escape') { kioskAudio.stop(); }
    });

    // Delegated clicks: the CSP forbids inline onclick attributes.
    document.addEventListener('click', e => {
        const action = e.target.closest && e.target.closest('[data-action]')?.dataset.action;
        if (action === 'audio-listen' || action === 'audio-repeat') kioskAudio.listen();
        else if (action === 'audio-stop') kioskAudio.stop();
    });

    return {
        /** Turns audio on, or repeats the current screen. */
        listen() { setOn(true); say(screenText()); },
        /** Interrupts and turns audio off. */
        stop() { if ('speechSynthesis' in window) speechSynthesis.cancel(); lastText = ''; setOn(false); },
        /** Back to the start for the next person: audio off. */
        reset() { this.stop(); },
        get on() { return on; },
    };
})();
