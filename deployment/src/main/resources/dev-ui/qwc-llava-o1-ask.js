import {LitElement, html, css} from 'lit';
import {JsonRpc} from 'jsonrpc';

/**
 * Ask a model a staged question about an uploaded image, and follow its search: for every step the candidates,
 * the judgements between them and the winner.
 */
export class QwcLlavaO1Ask extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: block; margin: 0 15px; }
        form { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 15px; }
        input[type=text] { flex: 1; min-width: 20em; }
        .step { border: 1px solid var(--lumo-contrast-10pct); border-radius: 6px; padding: 8px 12px; margin-bottom: 10px; }
        .candidate { white-space: pre-wrap; padding: 4px 8px; margin: 4px 0; border-left: 3px solid var(--lumo-contrast-20pct); }
        .candidate.winner { border-left-color: var(--lumo-success-color); }
        .judgement { font-size: var(--lumo-font-size-s); white-space: pre-wrap; }
        .error { color: var(--lumo-error-text-color); }
    `;

    static properties = {
        _models: {state: true},
        _busy: {state: true},
        _answer: {state: true},
        _error: {state: true},
    };

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.models().then(response => this._models = response.result);
    }

    render() {
        return html`
            <form @submit=${this._ask}>
                <select id="llava-o1-model">
                    ${(this._models ?? []).map(m => html`<option value="${m.name}">${m.name}</option>`)}
                </select>
                <input type="file" id="llava-o1-image" accept="image/*">
                <input type="text" id="llava-o1-question" value="What is shown in this image?">
                <button type="submit" id="llava-o1-ask" ?disabled=${this._busy}>Ask</button>
            </form>
            ${this._busy ? html`<p id="llava-o1-busy">Searching…</p>` : ''}
            ${this._error ? html`<p class="error" id="llava-o1-error">${this._error}</p>` : ''}
            ${this._answer ? this._renderAnswer(this._answer) : ''}`;
    }

    _renderAnswer(answer) {
        const reasoning = answer.reasoning;
        return html`
            <h3>Answer</h3>
            <p id="llava-o1-answer">${answer.text}</p>
            ${reasoning ? html`
                <p><small>${answer.modelName}: ${reasoning.mode}, seed ${reasoning.seed},
                    ${reasoning.answerTokens} answer / ${reasoning.candidateTokens} candidate /
                    ${reasoning.judgeTokens} judge tokens, ${reasoning.wallMillis} ms</small></p>
                <h3>Search</h3>
                ${reasoning.steps.map(step => this._renderStep(step))}` : ''}`;
    }

    _renderStep(step) {
        return html`
            <div class="step" data-step="${step.step}">
                <h4>${step.step} <small>(${step.candidates.length} candidate(s), winner ${step.winner}, ${step.wallMillis} ms)</small></h4>
                ${step.candidates.map(c => html`
                    <div class="candidate ${c.index === step.winner ? 'winner' : ''}">#${c.index} [${c.finishReason}, ${c.format}] ${c.text}</div>`)}
                ${step.judgements.map(j => html`
                    <div class="judgement">#${j.first} vs #${j.second}: ${j.verdict} (${j.decidedBy})${j.judgeOutput ? ' — ' + j.judgeOutput : ''}</div>`)}
            </div>`;
    }

    _ask(event) {
        event.preventDefault();
        const file = this.shadowRoot.getElementById('llava-o1-image').files[0];
        const question = this.shadowRoot.getElementById('llava-o1-question').value;
        const model = this.shadowRoot.getElementById('llava-o1-model').value;
        if (!file) {
            this._error = 'Choose an image first.';
            return;
        }
        this._busy = true;
        this._error = null;
        this._answer = null;
        const reader = new FileReader();
        reader.onload = () => {
            this.jsonRpc.ask({model: model, imageBase64: reader.result, mimeType: file.type, question: question})
                .then(response => this._answer = response.result)
                .catch(error => this._error = String(error?.error?.message ?? error))
                .finally(() => this._busy = false);
        };
        reader.readAsDataURL(file);
    }
}
customElements.define('qwc-llava-o1-ask', QwcLlavaO1Ask);
