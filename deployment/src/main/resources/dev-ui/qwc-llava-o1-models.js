import {LitElement, html, css} from 'lit';
import {JsonRpc} from 'jsonrpc';

/** The llava-o1 models: load state, device, dtype and quantization, and their settings. */
export class QwcLlavaO1Models extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: block; margin: 0 15px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--lumo-contrast-10pct); vertical-align: top; }
        pre { margin: 0; font-size: var(--lumo-font-size-s); white-space: pre-wrap; }
        .error { color: var(--lumo-error-text-color); }
    `;

    static properties = {
        _models: {state: true},
        _error: {state: true},
    };

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.models()
            .then(response => this._models = response.result)
            .catch(error => this._error = String(error?.error?.message ?? error));
    }

    render() {
        if (this._error) {
            return html`<p class="error" id="llava-o1-models-error">${this._error}</p>`;
        }
        if (!this._models) {
            return html`<p>Loading…</p>`;
        }
        if (this._models.length === 0) {
            return html`<p id="llava-o1-models">No llava-o1 model is used by this application.</p>`;
        }
        return html`
            <table id="llava-o1-models">
                <tr><th>Model</th><th>State</th><th>Device</th><th>Dtype</th><th>Runs on</th><th>Checkpoint</th><th>Settings</th></tr>
                ${this._models.map(m => html`
                    <tr class="llava-o1-model" data-name="${m.name}">
                        <td>${m.name}<br><small>${m.modelName}</small></td>
                        <td class="state">${m.state}</td>
                        <td>${m.device}</td>
                        <td>${m.dtype}<br><small>quantization ${m.quantization}</small></td>
                        <td>${m.runsOn ?? '—'}</td>
                        <td><small>${m.modelPath}</small><br><small>load=${m.load}, timeout=${m.timeout}</small></td>
                        <td><details><summary>${m.propertyPrefix}*</summary>
                            <pre>${JSON.stringify({reasoning: m.reasoning, image: m.imagePolicy}, null, 2)}</pre>
                        </details></td>
                    </tr>`)}
            </table>`;
    }
}
customElements.define('qwc-llava-o1-models', QwcLlavaO1Models);
