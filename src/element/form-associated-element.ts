import { LitElement } from 'lit';

/**
 * A Lit element that takes part in forms, with the form field API of native controls (`form`, `validity`,
 * `validationMessage`, `checkValidity()`, `reportValidity()`). Subclasses set the value and validity through
 * `internals`.
 */
export class FormAssociatedElement extends LitElement {
  static formAssociated = true;

  protected readonly internals: ElementInternals = this.attachInternals();

  /** The form this element belongs to. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  /** The element's validity as a form field (`valueMissing` when required and empty, a custom error while converting). */
  get validity(): ValidityState {
    return this.internals.validity;
  }

  /** Why the element is invalid, in its UI language. */
  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  /** Whether the element is valid as a form field; fires `invalid` when not. */
  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  /** Like `checkValidity()`, and shows the message to the visitor. */
  reportValidity(): boolean {
    return this.internals.reportValidity();
  }
}
