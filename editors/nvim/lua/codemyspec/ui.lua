-- Questions to the person: one vim.ui.select of labelled choices, answered with an id.
local M = {}

--- Ask with vim.ui.select; on_choice gets the chosen item's id, or default when dismissed.
---@param prompt string
---@param items {id: string, label: string}[]
---@param on_choice fun(id: string|nil)
---@param kind string|nil vim.ui.select's kind (default 'codemyspec.ask')
---@param default string|nil the answer when the person dismisses the question
function M.ask(prompt, items, on_choice, kind, default)
  vim.ui.select(items, {
    prompt = prompt,
    kind = kind or 'codemyspec.ask',
    format_item = function(item)
      return item.label
    end,
  }, function(choice)
    on_choice(choice and choice.id or default)
  end)
end

return M
